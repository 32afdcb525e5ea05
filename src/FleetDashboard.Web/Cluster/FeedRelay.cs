using System.Text.Json;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using StackExchange.Redis;

namespace FleetDashboard.Web.Cluster;

/// <summary>
/// The live feed on every node: each event published here goes out on one Redis channel, and each node's events
/// come in and reach this node's pages. Fire and forget: a device's write never waits on Redis, and while Redis is
/// down each node's pages still see their own node's devices.
/// </summary>
public sealed class FeedRelay(FleetRedis redis, DeviceFeed feed, ThisNode node, ILogger<FeedRelay> logger) : IHostedService
{
    private sealed record Relayed(string Node, DeviceEvent Event);

    private readonly RedisChannel _channel = RedisChannel.Literal(redis.Key("feed"));

    // The node's boot id names it (as run targets do).
    private string Node => node.BootId;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var subscriber = redis.Connection.GetSubscriber();
        feed.Relay = Send;
        try
        {
            await subscriber.SubscribeAsync(_channel, (_, message) => Receive(message));
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            // Subscribed when Redis comes back: the multiplexer keeps and renews subscriptions asked for.
            logger.LogWarning(e, "Redis is down at start: the live feed of other nodes arrives once it is back.");
        }
    }

    private void Send(DeviceEvent deviceEvent)
    {
        try
        {
            redis.Connection.GetSubscriber().Publish(_channel, JsonSerializer.Serialize(new Relayed(Node, deviceEvent)), CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            // Redis down: other nodes' pages miss this change; they see the device's next one after Redis is back.
        }
    }

    private void Receive(RedisValue message)
    {
        try
        {
            var relayed = JsonSerializer.Deserialize<Relayed>(message.ToString());
            if (relayed is not null && relayed.Node != Node) feed.PublishHere(relayed.Event);
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "A live feed message from another node could not be read.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        feed.Relay = null;
        return Task.CompletedTask;
    }
}
