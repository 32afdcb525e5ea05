using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// What an action on one node tells a device connected to another, outside the delivery of commands: a nudge to
/// fetch its new target state, and the cut of a device that may no longer connect.
/// </summary>
public sealed class ClusterNudgeTests
{
    [Fact]
    public async Task Deleting_on_node_A_a_device_connected_to_node_B_cuts_its_connection_within_seconds()
    {
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("cross-node-cut");
        var (device, id) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var _ = device;

        var run = await nodes.A.Actions.ConfirmedRunAsync(fleet.Operator, new(new DeleteDevice(), DeviceTargets.Device(fleet.ApplicationId, id)));

        Assert.Null(run.Refusal);
        await Wait.UntilAsync(device.Closed, "node B to cut the deleted device's connection", TimeSpan.FromSeconds(5));
        Assert.False(nodes.B.Connections.IsConnected(id));
    }

    [Fact]
    public async Task A_setting_changed_on_node_A_nudges_the_device_on_node_B_to_fetch_its_target_state()
    {
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("cross-node-nudge");
        var (device, id) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var _ = device;

        var run = await nodes.A.Actions.ConfirmedRunAsync(fleet.Operator, new(new SetLocalMode(true), DeviceTargets.Device(fleet.ApplicationId, id)));

        Assert.Null(run.Refusal);
        Assert.True(await device.Nudges.WaitAsync(TimeSpan.FromSeconds(5)), "the device on node B was nudged");
    }
}
