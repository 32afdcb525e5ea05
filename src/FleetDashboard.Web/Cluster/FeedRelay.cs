using System.Text.Json;
using System.Threading.Channels;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using StackExchange.Redis;

namespace FleetDashboard.Web.Cluster;

/// <summary>
/// The live feed on every node: the events published here go out on one Redis channel, and each node's events come
/// in and reach this node's pages. Fire and forget: a device's write never waits on Redis, and while Redis is down
/// each node's pages still see their own node's devices. Whatever has gathered since the last message goes out
/// together: a run's 30,000 outcomes are a few dozen messages, not 30,000 for every node to read (benchmark B9),
/// while a single change still goes out at once.
/// </summary>
public sealed class FeedRelay(FleetRedis redis, DeviceFeed feed, ThisNode node, ILogger<FeedRelay> logger) : BackgroundService
{
    private sealed record Relayed(string Node, IReadOnlyList<DeviceEvent> Events);

    private const int MaxBatch = 1000;

    private readonly RedisChannel _channel = RedisChannel.Literal(redis.Key("feed"));
    private readonly Channel<DeviceEvent> _outbox = Channel.CreateUnbounded<DeviceEvent>(new UnboundedChannelOptions { SingleReader = true });

    // The node's boot id names it (as run targets do).
    private string Node => node.BootId;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var subscriber = redis.Connection.GetSubscriber();
        feed.Relay = deviceEvent => _outbox.Writer.TryWrite(deviceEvent);
        try
        {
            await subscriber.SubscribeAsync(_channel, (_, message) => Receive(message));
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            // Subscribed when Redis comes back: the multiplexer keeps and renews subscriptions asked for.
            logger.LogWarning(e, "Redis is down at start: the live feed of other nodes arrives once it is back.");
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Until StopAsync completes the outbox: what was published before the stop still goes out.
        var batch = new List<DeviceEvent>();
        while (await _outbox.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _outbox.Reader.TryRead(out var deviceEvent)) batch.Add(deviceEvent);
            Send(batch);
            batch.Clear();
        }
    }

    private void Send(IReadOnlyList<DeviceEvent> events)
    {
        try
        {
            redis.Connection.GetSubscriber().Publish(_channel, JsonSerializer.Serialize(new Relayed(Node, events)), CommandFlags.FireAndForget);
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            // Redis down: other nodes' pages miss these changes; they see the devices' next ones after Redis is back.
        }
        catch (Exception e)
        {
            // Never the end of the relay: the next changes go out.
            logger.LogWarning(e, "{Count} live feed events could not be sent to the other nodes.", events.Count);
        }
    }

    private void Receive(RedisValue message)
    {
        try
        {
            var relayed = JsonSerializer.Deserialize<Relayed>(message.ToString());
            // An older node's message (one event, no list) is not read: its pages' next change is.
            if (relayed is { Events: { } events } && relayed.Node != Node)
                foreach (var deviceEvent in events) feed.PublishHere(deviceEvent);
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "A live feed message from another node could not be read.");
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        feed.Relay = null;
        _outbox.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }
}
