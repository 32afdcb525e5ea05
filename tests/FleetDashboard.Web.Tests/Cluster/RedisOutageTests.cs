using System.Net;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// Two nodes over a Redis of the test's own, killed for a while and started again empty (no persistence): the nodes
/// serve their pages and their own devices meanwhile, refuse what needs another node with the reason, and work across
/// nodes again once Redis is back.
/// </summary>
public sealed class RedisOutageTests
{
    private static async Task<List<ActionOutcome>> OutcomesAsync(ClusterNode node, long runId)
    {
        await using var db = await node.DbAsync();
        return await db.ActionOutcomes.AsNoTracking().Where(o => o.ActionRunId == runId).ToListAsync();
    }

    /// <summary>Whether the node holding the device's connection listens on that connection's channel (the backplane's way to reach it).</summary>
    private static async Task<bool> ReachableAsync(IConnectionMultiplexer probe, ClusterNodes nodes, string connectionId)
    {
        if (!probe.IsConnected) return false;
        try
        {
            var listening = await probe.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", ConnectionChannel(nodes, connectionId));
            return listening.Length == 2 && (long)listening[1] > 0;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }

    private static string ConnectionChannel(ClusterNodes nodes, string connectionId) =>
        $"{nodes.Prefix}:hub{typeof(DeviceHub).FullName}:connection:{connectionId}";

    /// <summary>Until the backplane reaches the device's connection again; on failure, the channels Redis has listeners on.</summary>
    private static async Task UntilReachableAsync(RedisProcess redis, ClusterNodes nodes, string connectionId)
    {
        await using var probe = await ConnectionMultiplexer.ConnectAsync($"{redis.Configuration},abortConnect=false");
        try
        {
            await Wait.UntilAsync(() => ReachableAsync(probe, nodes, connectionId),
                "node B to listen on its device's connection channel again", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        }
        catch (TimeoutException e)
        {
            var channels = await probe.GetDatabase().ExecuteAsync("PUBSUB", "CHANNELS", $"{nodes.Prefix}:*");
            throw new TimeoutException($"{e.Message} Waited for {ConnectionChannel(nodes, connectionId)}; listened: {string.Join(", ", (string[])channels!)}", e);
        }
    }

    [Fact]
    public async Task While_Redis_is_down_nodes_serve_pages_and_their_own_devices_refuse_other_nodes_devices_with_the_reason_and_recover_when_it_returns()
    {
        await using var redis = await RedisProcess.StartAsync();
        await using var nodes = new ClusterNodes(redis.Configuration);
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("redis-outage");
        var (onA, idA) = await nodes.ConnectAsync(fleet, nodes.A);
        var (onB, idB) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var _ = onA;
        await using var __ = onB;

        redis.Kill();

        foreach (var node in new[] { nodes.A, nodes.B })
        {
            using var browser = node.CreateBrowser();
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("Account/Login")).StatusCode);
        }
        var duringOutage = await nodes.A.Actions.ConfirmedRunAsync(fleet.Operator,
            new(new RebootDevice(), DeviceTargets.Group(fleet.ApplicationId, [idA, idB])));
        // Nothing waits for ever: each device has its one outcome, without waiting for a deadline.
        await Wait.UntilAsync(async () => (await OutcomesAsync(nodes.A, duringOutage.Id)).Count == 2, "both outcomes of the run during the outage");
        var outcomes = (await OutcomesAsync(nodes.A, duringOutage.Id)).ToDictionary(o => o.DeviceId);
        Assert.Equal(OutcomeKind.Succeeded, outcomes[idA].Kind);
        Assert.Equal(duringOutage.Id, Assert.Single(onA.Commands).ActionRunId);
        Assert.Equal(OutcomeKind.Refused, outcomes[idB].Kind);
        Assert.Equal(NodesUnreachableException.Reason, outcomes[idB].Reason);
        Assert.Empty(onB.Commands);

        await redis.StartAgainAsync();

        // Redis came back empty: node B says again where its device is, and listens on its connection's channel again.
        await Wait.UntilAsync(async () => await nodes.A.ConnectionOfAsync(idB) == onB.Connection.ConnectionId,
            "node B to tell the restarted Redis where its device is", TimeSpan.FromSeconds(60));
        await UntilReachableAsync(redis, nodes, onB.Connection.ConnectionId!);
        var afterOutage = await nodes.A.Actions.ConfirmedRunAsync(fleet.Operator,
            new(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, idB)));
        await Wait.UntilAsync(async () => (await OutcomesAsync(nodes.A, afterOutage.Id)).Count == 1, "the outcome of the run after the outage");
        Assert.Equal(OutcomeKind.Succeeded, Assert.Single(await OutcomesAsync(nodes.A, afterOutage.Id)).Kind);
        Assert.Equal(afterOutage.Id, Assert.Single(onB.Commands).ActionRunId);

        // The live feed relays again: a change on node B reaches node A's pages.
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = nodes.A.Services.GetRequiredService<DeviceFeed>().Subscribe(e => e.DeviceId == idB && e.Status is not null,
            _ => { seen.TrySetResult(); return Task.CompletedTask; });
        await Wait.UntilAsync(async () =>
        {
            await onB.ReportAsync(hostOs: "2.14.0");
            return await Task.WhenAny(seen.Task, Task.Delay(TimeSpan.FromSeconds(1))) == seen.Task;
        }, "a change on node B to reach node A's live feed again", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task While_Redis_hangs_the_nodes_keep_running_and_refuse_other_nodes_devices_with_the_reason_until_it_answers_again()
    {
        await using var redis = await RedisProcess.StartAsync();
        await using var nodes = new ClusterNodes(redis.Configuration);
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("redis-hang");
        var (onA, idA) = await nodes.ConnectAsync(fleet, nodes.A);
        var (onB, idB) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var _ = onA;
        await using var __ = onB;
        await Wait.UntilAsync(() => nodes.A.Lease.IsHeld || nodes.B.Lease.IsHeld, "a node to take the lease");

        await redis.FreezeAsync();

        // A hung Redis answers nothing: each question times out (2 s), which must read as "Redis is down", not stop a node.
        var duringHang = await nodes.A.Actions.ConfirmedRunAsync(fleet.Operator,
            new(new RebootDevice(), DeviceTargets.Group(fleet.ApplicationId, [idA, idB])));
        await Wait.UntilAsync(async () => (await OutcomesAsync(nodes.A, duringHang.Id)).Count == 2, "both outcomes of the run while Redis hangs");
        var outcomes = (await OutcomesAsync(nodes.A, duringHang.Id)).ToDictionary(o => o.DeviceId);
        Assert.Equal(OutcomeKind.Succeeded, outcomes[idA].Kind);
        Assert.Equal((OutcomeKind.Refused, NodesUnreachableException.Reason), (outcomes[idB].Kind, outcomes[idB].Reason!));
        Assert.Empty(onB.Commands);
        // The holder could not renew: it gives the lease up rather than act on one it may have lost, and keeps running.
        await Wait.UntilAsync(() => !nodes.A.Lease.IsHeld && !nodes.B.Lease.IsHeld, "the holder to give the lease up", TimeSpan.FromSeconds(60));
        foreach (var node in new[] { nodes.A, nodes.B })
        {
            using var browser = node.CreateBrowser();
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("Account/Login")).StatusCode);
        }

        await redis.ThawAsync();

        await Wait.UntilAsync(() => nodes.A.Lease.IsHeld || nodes.B.Lease.IsHeld, "a node to hold the lease again", TimeSpan.FromSeconds(60));
        await UntilReachableAsync(redis, nodes, onB.Connection.ConnectionId!);
        var afterHang = await nodes.A.Actions.ConfirmedRunAsync(fleet.Operator,
            new(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, idB)));
        await Wait.UntilAsync(async () => (await OutcomesAsync(nodes.A, afterHang.Id)).Count == 1, "the outcome of the run after the hang");
        Assert.Equal(OutcomeKind.Succeeded, Assert.Single(await OutcomesAsync(nodes.A, afterHang.Id)).Kind);
        Assert.Equal(afterHang.Id, Assert.Single(onB.Commands).ActionRunId);
    }
}
