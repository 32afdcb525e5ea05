using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Cluster;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>Two nodes sharing one fleet through Redis (the one test.sh starts), each test under its own prefix.</summary>
public sealed class ClusterTests
{
    private static async Task<IReadOnlyList<string>> OutcomesAsync(ClusterNode node, long runId, int deviceId)
    {
        await using var db = await node.DbAsync();
        return (await db.ActionOutcomes.Where(o => o.ActionRunId == runId && o.DeviceId == deviceId).ToListAsync())
            .Select(o => o.ToString()).ToList();
    }

    [Fact]
    public async Task A_device_connected_to_node_B_is_rebooted_from_node_A_and_its_outcome_recorded_once()
    {
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("cross-node-reboot");
        var (device, id) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var _ = device;
        Assert.False(nodes.A.Connections.IsConnected(id));

        var run = await nodes.A.Actions.ConfirmedRunAsync(fleet.Operator, new(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, id)));

        var command = Assert.Single(device.Commands);
        Assert.Equal(run.Id, command.ActionRunId);
        Assert.Equal(["succeeded"], await OutcomesAsync(nodes.A, run.Id, id));
    }

    [Fact]
    public async Task A_device_change_on_node_B_reaches_the_live_feed_of_node_A()
    {
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("cross-node-feed");
        var (device, id) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var _ = device;
        var seen = new TaskCompletionSource<DeviceEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = nodes.A.Services.GetRequiredService<DeviceFeed>().Subscribe(e => e.DeviceId == id && e.Status is not null,
            batch => { seen.TrySetResult(batch[0]); return Task.CompletedTask; });

        await device.ReportAsync(hostOs: "2.14.0");

        var heard = await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(fleet.ApplicationId, heard.ApplicationId);
    }

    [Fact]
    public async Task A_sign_in_on_node_A_is_valid_on_node_B()
    {
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        await nodes.A.CreateUserAsync("cluster-signin@acme.test", "Cluster-password-1");
        using var onA = nodes.A.CreateBrowser();
        using var onB = nodes.B.CreateBrowser();
        // Without the cookie node B sends a person to sign in: the check below can fail.
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await onB.GetAsync("applications")).StatusCode);

        await onA.SignInAsync("cluster-signin@acme.test", "Cluster-password-1");
        Assert.True(onA.HasAuthCookie);
        foreach (System.Net.Cookie cookie in onA.Cookies.GetCookies(nodes.A.BaseAddress))
            onB.Cookies.Add(nodes.B.BaseAddress, new System.Net.Cookie(cookie.Name, cookie.Value, "/"));

        Assert.Equal(System.Net.HttpStatusCode.OK, (await onB.GetAsync("applications")).StatusCode);
    }

    [Fact]
    public async Task The_lease_of_the_work_done_once_is_held_by_one_node_and_taken_over_when_it_stops()
    {
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        await Wait.UntilAsync(() => nodes.A.Lease.IsHeld || nodes.B.Lease.IsHeld, "a node to take the lease");
        Assert.False(nodes.A.Lease.IsHeld && nodes.B.Lease.IsHeld);
        var (holder, other) = nodes.A.Lease.IsHeld ? (nodes.A, nodes.B) : (nodes.B, nodes.A);

        await holder.DisposeAsync();

        await Wait.UntilAsync(() => other.Lease.IsHeld, "the other node to take the lease over", TimeSpan.FromSeconds(15));
    }
}
