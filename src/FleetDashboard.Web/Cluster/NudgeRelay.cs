using System.Text.Json;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using StackExchange.Redis;

namespace FleetDashboard.Web.Cluster;

/// <summary>
/// Nudges reach the node holding the device: the ids of devices not connected here go out on one Redis channel
/// (<c>&lt;prefix&gt;:nudge</c>) and every other node nudges those connected to it, or cuts those that may no longer
/// connect (deleted, orphaned). One message for a whole application, not one look-up per device; a node holding
/// none of them does nothing. Fire and forget, as the feed: while Redis is down a device on another node misses its
/// nudge and learns its target state at its next poll, and a deleted device's credential works nowhere already.
/// </summary>
public sealed class NudgeRelay(FleetRedis redis, DeviceNudges nudges, ThisNode node, ILogger<NudgeRelay> logger) : IHostedService
{
    private sealed record Relayed(string Node, IReadOnlyCollection<int> DeviceIds);

    private readonly RedisChannel _channel = RedisChannel.Literal(redis.Key("nudge"));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.Connection.GetSubscriber().SubscribeAsync(_channel, (channel, message) => _ = ReceiveAsync(message));
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            // Subscribed when Redis comes back: the multiplexer keeps and renews subscriptions asked for.
            logger.LogWarning(e, "Redis is down at start: nudges from other nodes arrive once it is back.");
        }
    }

    public void Send(IReadOnlyCollection<int> deviceIds)
    {
        try
        {
            redis.Connection.GetSubscriber().Publish(_channel, JsonSerializer.Serialize(new Relayed(node.BootId, deviceIds)),
                CommandFlags.FireAndForget);
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            logger.LogWarning(e, "Could not tell the other nodes to nudge {Count} devices; they fetch their target state at their next poll.",
                deviceIds.Count);
        }
    }

    private async Task ReceiveAsync(RedisValue message)
    {
        try
        {
            var relayed = JsonSerializer.Deserialize<Relayed>(message.ToString());
            if (relayed is not null && relayed.Node != node.BootId) await nudges.NudgeHereAsync(relayed.DeviceIds, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Off any request: nobody else would hear of it.
            logger.LogWarning(e, "Nudging devices for another node failed.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
