using System.Text.Json;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// Three nodes as real processes over one PostgreSQL database (the test's own) and the shared Redis (under the test's
/// own prefix): an action confirmed on one node reaches devices on the others, and a node killed with SIGKILL loses
/// nothing that the others cannot close or reach.
/// </summary>
public sealed class NodeProcessTests
{
    private static async Task<List<ActionOutcome>> OutcomesAsync(NodeProcesses cluster, long runId)
    {
        await using var db = cluster.Db();
        return await db.ActionOutcomes.AsNoTracking().Where(o => o.ActionRunId == runId).ToListAsync();
    }

    /// <summary>The node whose boot id the lease names: the holder logs that id when it takes the lease.</summary>
    private static async Task<NodeProcess?> HolderAsync(NodeProcesses cluster, IEnumerable<NodeProcess> nodes)
    {
        var holder = await cluster.LeaseHolderAsync();
        return holder is null ? null : nodes.SingleOrDefault(n => !n.HasExited && n.Output.Contains(holder));
    }

    [Fact]
    public async Task A_group_reboot_confirmed_on_node_A_reaches_each_device_on_nodes_B_and_C_once_and_records_each_outcome_once()
    {
        await using var cluster = new NodeProcesses();
        var fleet = await cluster.FleetAsync("process-reboot");
        var nodes = await cluster.StartAsync("A", "B", "C");
        var (a, b, c) = (nodes[0], nodes[1], nodes[2]);
        var devices = new[] { await cluster.ConnectAsync(fleet, b), await cluster.ConnectAsync(fleet, b), await cluster.ConnectAsync(fleet, c), await cluster.ConnectAsync(fleet, c) };
        using var api = NodeProcesses.Api(fleet, a);

        var runId = await ApiRuns.RebootAsync(api, fleet, devices.Select(d => d.Id).ToList());

        await Wait.UntilAsync(async () => (await ApiRuns.CountsAsync(api, runId)).GetProperty("succeeded").GetInt32() == devices.Length,
            $"every device's answer to come back to {a}");
        Assert.Equal(0, (await ApiRuns.CountsAsync(api, runId)).GetProperty("waiting").GetInt32());
        Assert.All(devices, d => Assert.Equal(runId, Assert.Single(d.Device.Commands).ActionRunId));
        var outcomes = await OutcomesAsync(cluster, runId);
        Assert.Equal(devices.Select(d => d.Id).Order(), outcomes.Select(o => o.DeviceId).Order());
        Assert.All(outcomes, o => Assert.Equal(OutcomeKind.Succeeded, o.Kind));
        // The run's page (here its API) shows every outcome, read on a node that delivered none of them.
        using var onC = NodeProcesses.Api(fleet, c);
        var listed = await ApiRuns.OutcomesAsync(onC, runId);
        Assert.Equal(devices.Length, listed.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_node_killed_while_its_run_waits_has_its_deliveries_closed_once_by_the_new_lease_holder_and_its_devices_reached_elsewhere()
    {
        await using var cluster = new NodeProcesses();
        var fleet = await cluster.FleetAsync("process-kill");
        var nodes = await cluster.StartAsync("A", "B", "C");
        // The node that issues the run holds the lease too: its death hands over the work done once as well.
        NodeProcess? issuer = null;
        await Wait.UntilAsync(async () => (issuer = await HolderAsync(cluster, nodes)) is not null, "a node to take the lease");
        var others = nodes.Where(n => n != issuer).ToList();
        var (p, q) = (others[0], others[1]);
        var onIssuer = await cluster.ConnectAsync(fleet, issuer!);
        var onP = await cluster.ConnectAsync(fleet, p);
        var onQ = await cluster.ConnectAsync(fleet, q);
        var devices = new[] { onIssuer, onP, onQ };
        // The devices take the command and keep their answer: the run waits on all three when its node dies.
        var held = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var device in devices) device.Device.Answer = _ => held.Task;
        using var api = NodeProcesses.Api(fleet, issuer!);
        var runId = await ApiRuns.RebootAsync(api, fleet, devices.Select(d => d.Id).ToList());
        await Wait.UntilAsync(() => devices.All(d => d.Device.Commands.Count == 1), "every device to receive the command");
        var oldHolder = await cluster.LeaseHolderAsync();

        issuer!.Kill();

        // Its device finds another node, as an agent with a list of servers does, and every node finds it there.
        await onIssuer.Device.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        var moved = await cluster.ReconnectAsync(onIssuer, q);
        // The lease ends a term (6 s) after the last renewal; 30 s is generous on a loaded machine.
        NodeProcess? newHolder = null;
        await Wait.UntilAsync(async () => (newHolder = await HolderAsync(cluster, others)) is not null,
            $"{p} or {q} to take the lease over", TimeSpan.FromSeconds(30));
        Assert.NotEqual(oldHolder, await cluster.LeaseHolderAsync());
        // The killed node's heartbeat expires a term after it died, and the new holder waits a whole term of holding
        // before it believes a heartbeat gone; then the run's deadline (8 s) and a watch tick (5 s): 60 s is generous.
        await Wait.UntilAsync(async () => (await OutcomesAsync(cluster, runId)).Count == devices.Length,
            "the new lease holder to close the killed node's deliveries", TimeSpan.FromSeconds(60));
        // The devices answer at last: the node that asked is gone, and nothing records a second outcome.
        foreach (var device in devices) device.Device.Answer = _ => Task.FromResult(ActionResult.Succeeded);
        held.SetResult(ActionResult.Succeeded);

        var closed = await OutcomesAsync(cluster, runId);
        Assert.All(closed, o =>
        {
            Assert.Equal(OutcomeKind.TimedOut, o.Kind);
            Assert.Equal(RunDeadlines.Restarted, o.Reason);
        });
        Assert.Equal(devices.Select(d => d.Id).Order(), closed.Select(o => o.DeviceId).Order());
        await using (var db = cluster.Db()) Assert.False(await db.RunTargets.AnyAsync(t => t.ActionRunId == runId));

        // A new action from a live node reaches every device, the moved one on its new node included.
        using var again = NodeProcesses.Api(fleet, p);
        var secondRun = await ApiRuns.RebootAsync(again, fleet, devices.Select(d => d.Id).ToList());
        await Wait.UntilAsync(async () => (await ApiRuns.CountsAsync(again, secondRun)).GetProperty("succeeded").GetInt32() == devices.Length,
            "every device, the moved one included, to answer the new run");
        Assert.Equal(secondRun, Assert.Single(moved.Device.Commands).ActionRunId);
        Assert.Equal(devices.Length, (await OutcomesAsync(cluster, runId)).Count);
    }

    /// <summary>An event of the live feed as a node relays it to the others (FeedRelay's message).</summary>
    private sealed record Relayed(string Node, IReadOnlyList<DeviceEvent> Events);

    [Fact]
    public async Task The_lease_is_taken_over_within_seconds_when_its_holder_is_killed_and_the_new_holder_announces_what_went_offline_meanwhile()
    {
        await using var cluster = new NodeProcesses();
        var fleet = await cluster.FleetAsync("process-lease");
        var nodes = await cluster.StartAsync("A", "B");
        NodeProcess? holder = null;
        await Wait.UntilAsync(async () => (holder = await HolderAsync(cluster, nodes)) is not null, "a node to take the lease");
        var other = nodes.Single(n => n != holder);
        var quiet = await cluster.ConnectAsync(fleet, other);
        await quiet.Device.DisposeAsync();
        await Wait.UntilAsync(async () =>
        {
            await using var db = cluster.Db();
            return await db.Devices.AnyAsync(d => d.Id == quiet.Id && d.ConnectedAt == null && d.DisconnectedAt != null);
        }, "the device's close to be recorded");
        // The device last reported without a connection, and its heartbeat runs out just after the holder dies, while
        // no node holds the lease. The sweep that notices it publishes Offline on the live feed, which the feed relay
        // sends out through Redis with the sweeping node's boot id.
        var pollInterval = TimeSpan.FromSeconds(2);
        var expiry = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2.5);
        var sweeps = new TaskCompletionSource<Relayed>(TaskCreationOptions.RunContinuationsAsynchronously);
        await cluster.RedisDb.Multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"{cluster.Prefix}:feed"), (_, message) =>
        {
            var relayed = JsonSerializer.Deserialize<Relayed>(message.ToString());
            if (relayed?.Events.Any(e => e is { Status: DeviceStatus.Offline } && e.DeviceId == quiet.Id && e.At >= expiry) == true)
                sweeps.TrySetResult(relayed);
        });
        await using (var db = cluster.Db())
        {
            await db.Devices.Where(d => d.Id == quiet.Id).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.DisconnectedAt, (DateTimeOffset?)null)
                .SetProperty(d => d.LastContactAt, expiry - DeviceStatusRules.OnlineWindow(pollInterval))
                .SetProperty(d => d.PollInterval, pollInterval));
        }

        holder!.Kill();

        // A term (6 s) after the last renewal the lease is free, and the other node tries every second: 30 s is generous.
        await Wait.UntilAsync(async () => await HolderAsync(cluster, [other]) is not null,
            $"{other} to take the lease over", TimeSpan.FromSeconds(30));
        var newHolder = await cluster.LeaseHolderAsync();
        var swept = await sweeps.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(newHolder, swept.Node);
    }
}
