using System.Collections.Concurrent;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Cluster;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Devices;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// How an action reaches devices on other nodes (<see cref="DeliveryRelay"/>), and what is recorded when the node
/// said to hold a device is gone or never answers. A device's Redis entry is pointed at such a node by hand.
/// </summary>
public sealed class DeliveryRelayTests
{
    private static async Task<ActionOutcome> OutcomeAsync(ClusterNode node, long runId, int deviceId)
    {
        await using var db = await node.DbAsync();
        return await db.ActionOutcomes.SingleAsync(o => o.ActionRunId == runId && o.DeviceId == deviceId);
    }

    private static Task PointAsync(ClusterNode node, int deviceId, string bootId)
    {
        var redis = node.Services.GetRequiredService<FleetRedis>();
        return redis.Connection.GetDatabase().HashSetAsync(redis.Key("devices"), deviceId,
            new Whereabout("its-connection", bootId, DateTimeOffset.UtcNow).ToString());
    }

    [Fact]
    public async Task The_backplane_of_this_version_routes_a_client_result_from_a_device_on_node_B_to_node_A()
    {
        // Issue 13 asked whether SignalR's Redis backplane carries single-client invocations with results between
        // nodes on this version. It does; the relay is used instead because it carries one message per node, not per device.
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("backplane-result");
        var (device, _) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var __ = device;
        device.Answer = _ => Task.FromResult(new ActionResult(ActionResultKind.Refused, "asked through the backplane"));

        var hub = nodes.A.Services.GetRequiredService<IHubContext<DeviceHub>>();
        var result = await hub.Clients.Client(device.Connection.ConnectionId!).InvokeAsync<ActionResult?>(DeviceProtocol.RunAction,
            new ActionCommand(DeviceProtocol.Version, 1, DeviceCommand.Identify, Force: false), CancellationToken.None);

        Assert.Equal(new ActionResult(ActionResultKind.Refused, "asked through the backplane"), result);
    }

    [Fact]
    public async Task A_device_whose_node_stopped_is_refused_at_once_with_the_reason_and_nothing_is_sent()
    {
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("relay-node-stopped");
        var (device, id) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var _ = device;
        // Its entry names a node nobody listens for: one that died before the lease holder cleaned up after it.
        await PointAsync(nodes.A, id, "stopped-node");

        var run = await nodes.A.Actions.ConfirmedRunAsync(fleet.Operator, new(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, id)));

        var outcome = await OutcomeAsync(nodes.A, run.Id, id);
        Assert.Equal((OutcomeKind.Refused, DeliveryRelay.NodeStopped), (outcome.Kind, outcome.Reason!));
        Assert.Empty(device.Commands);
    }

    [Fact]
    public async Task A_node_that_takes_the_delivery_and_never_answers_leaves_the_device_timed_out_once()
    {
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("relay-silent-node");
        var (device, id) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var _ = device;
        // A "node" that hears the delivery and then says nothing, as one that dies just after taking it.
        var redis = nodes.A.Services.GetRequiredService<FleetRedis>();
        var heard = new ConcurrentQueue<string>();
        var silent = RedisChannel.Literal(redis.Key("deliver:silent-node"));
        await redis.Connection.GetSubscriber().SubscribeAsync(silent, (_, message) => heard.Enqueue(message.ToString()));
        await PointAsync(nodes.A, id, "silent-node");

        var run = await nodes.A.Actions.ConfirmedRunAsync(fleet.Operator, new(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, id)));

        var outcome = await OutcomeAsync(nodes.A, run.Id, id);
        var noAnswer = nodes.A.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeliveryOptions>>().Value.NoAnswer;
        Assert.Equal((OutcomeKind.TimedOut, noAnswer), (outcome.Kind, outcome.Reason!));
        var message = Assert.Single(heard);
        Assert.Contains($"[{id}]", message);
        Assert.Empty(device.Commands);
        await redis.Connection.GetSubscriber().UnsubscribeAsync(silent);
    }
}
