using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FleetDashboard.Web.Cluster;

/// <summary>
/// An immediate action's devices on other nodes. The node that confirmed the run looks them all up at once, sends each
/// node holding some of them one message with their ids (channel <c>&lt;prefix&gt;:deliver:&lt;node&gt;</c>); that node
/// runs the command on its own devices (<see cref="DeviceCommands"/>) and sends the answers back in batches
/// (<c>&lt;prefix&gt;:answers:&lt;sender&gt;</c>). SignalR's backplane would carry a look-up, an invocation and a result per
/// device: at 30,000 devices over three nodes that kept the confirming node busy for seconds before its own devices
/// got their command (benchmark B9).
/// Nothing is dropped silently. While Redis is down the devices elsewhere are refused, with the reason; a node that
/// stopped, or is stopping, is said to have; answers that never come (the holding node died, or Redis dropped them)
/// are timed out a little after the holding node's own timeout: that one starts when the message arrives there and
/// covers all its devices, however long it takes to send to them all.
/// </summary>
public sealed class DeliveryRelay(FleetRedis redis, RedisWhereabouts whereabouts, DeviceCommands commands, ThisNode node,
    IOptions<DeliveryOptions> options, ILogger<DeliveryRelay> logger) : IHostedService
{
    public const string NodeStopped = "the device's node stopped before the command reached it";

    private sealed record Sent(string From, ActionCommand Command, IReadOnlyList<int> DeviceIds);

    private sealed record Answered(long RunId, IReadOnlyList<DeliveryOutcome> Outcomes);

    /// <summary>How long past the action timeout the sender waits for answers relayed by the other nodes.</summary>
    private static readonly TimeSpan RelayMargin = TimeSpan.FromSeconds(2);

    /// <summary>The runs this node is waiting on other nodes' answers for.</summary>
    private readonly ConcurrentDictionary<long, ChannelWriter<DeliveryOutcome>> _waiting = new();

    private ISubscriber Bus => redis.Connection.GetSubscriber();

    private RedisChannel DeliverTo(string bootId) => RedisChannel.Literal(redis.Key($"deliver:{bootId}"));

    private RedisChannel AnswerTo(string bootId) => RedisChannel.Literal(redis.Key($"answers:{bootId}"));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Off Redis's own thread: running a command on thousands of devices takes a while even before any answers.
            await Bus.SubscribeAsync(DeliverTo(node.BootId), (channel, message) => _ = Task.Run(() => RunHereAsync(message)));
            await Bus.SubscribeAsync(AnswerTo(node.BootId), (channel, message) => Receive(message));
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            // Subscribed when Redis comes back: the multiplexer keeps and renews subscriptions asked for.
            logger.LogWarning(e, "Redis is down at start: actions confirmed on other nodes reach this node's devices once it is back.");
        }
    }

    /// <summary>A stopping node takes no more deliveries: their senders hear at once that it stopped.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Bus.UnsubscribeAsync(DeliverTo(node.BootId));
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            // Redis is down: nothing more arrives on it either.
        }
    }

    /// <summary>Delivers the command to these devices, none of them connected here: one outcome each, written to <paramref name="answers"/>.</summary>
    public async Task DeliverAsync(ActionCommand command, IReadOnlyList<int> deviceIds, ChannelWriter<DeliveryOutcome> answers,
        CancellationToken cancellationToken)
    {
        Whereabout?[] where;
        try
        {
            where = await whereabouts.WhereAsync(deviceIds, cancellationToken);
        }
        catch (NodesUnreachableException)
        {
            foreach (var id in deviceIds) answers.TryWrite(new DeliveryOutcome(id, OutcomeKind.Refused, NodesUnreachableException.Reason));
            return;
        }

        var inbox = Channel.CreateUnbounded<DeliveryOutcome>(new UnboundedChannelOptions { SingleReader = true });
        _waiting[command.ActionRunId] = inbox.Writer; // before anything is sent: the first answers may come back at once
        try
        {
            var waiting = new HashSet<int>();
            foreach (var held in deviceIds.Zip(where).GroupBy(d => d.Second?.Node, d => d.First))
            {
                // No entry, or one of this node's own for a connection that has just closed: connected nowhere.
                if (held.Key is null || held.Key == node.BootId)
                {
                    foreach (var id in held) answers.TryWrite(new DeliveryOutcome(id, Skip.Offline.Kind, Skip.Offline.Reason));
                    continue;
                }
                var refused = await SendAsync(held.Key, new Sent(node.BootId, command, [.. held]));
                if (refused is null) waiting.UnionWith(held);
                else foreach (var id in held) answers.TryWrite(new DeliveryOutcome(id, OutcomeKind.Refused, refused));
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Value.ActionTimeout + RelayMargin);
            try
            {
                while (waiting.Count > 0 && await inbox.Reader.WaitToReadAsync(deadline.Token))
                    while (inbox.Reader.TryRead(out var outcome))
                        if (waiting.Remove(outcome.DeviceId)) answers.TryWrite(outcome); // one per device, from those sent
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // What has not come back by now never will: its node died, or Redis lost the answer.
            }
            foreach (var id in waiting) answers.TryWrite(new DeliveryOutcome(id, OutcomeKind.TimedOut, options.Value.NoAnswer));
        }
        finally
        {
            _waiting.TryRemove(command.ActionRunId, out _);
        }
    }

    /// <summary>Null once the node holding the devices has the message; otherwise why nothing reached them.</summary>
    private async Task<string?> SendAsync(string bootId, Sent sent)
    {
        try
        {
            // Redis says how many subscribers got it: none means that node is gone, though its entries are not yet.
            return await Bus.PublishAsync(DeliverTo(bootId), JsonSerializer.Serialize(sent)) == 0 ? NodeStopped : null;
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            return NodesUnreachableException.Reason;
        }
    }

    /// <summary>Another node's run, for devices connected here: each answer goes back as it comes, gathered into batches.</summary>
    private async Task RunHereAsync(RedisValue message)
    {
        Sent sent;
        try
        {
            sent = JsonSerializer.Deserialize<Sent>(message.ToString()) ?? throw new JsonException("empty message");
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "A delivery from another node could not be read.");
            return;
        }
        // One clock for all of them from now: the last device sent to does not get more than the action timeout.
        var since = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = Channel.CreateUnbounded<DeliveryOutcome>(new UnboundedChannelOptions { SingleReader = true });
        var running = Task.WhenAll(sent.DeviceIds.Select(async id =>
            outcomes.Writer.TryWrite(await commands.RunAsync(id, sent.Command, CancellationToken.None, options.Value.ActionTimeout - since.Elapsed))));
        _ = running.ContinueWith(_ => outcomes.Writer.Complete(), TaskScheduler.Default);

        var batch = new List<DeliveryOutcome>();
        while (await outcomes.Reader.WaitToReadAsync())
        {
            while (batch.Count < 1000 && outcomes.Reader.TryRead(out var outcome)) batch.Add(outcome);
            try
            {
                await Bus.PublishAsync(AnswerTo(sent.From), JsonSerializer.Serialize(new Answered(sent.Command.ActionRunId, batch)));
            }
            catch (Exception e) when (FleetRedis.IsDown(e))
            {
                logger.LogWarning(e, "Could not send {Count} answers of action run {RunId} back to its node; it records them as timed out.",
                    batch.Count, sent.Command.ActionRunId);
            }
            batch.Clear();
        }
    }

    private void Receive(RedisValue message)
    {
        try
        {
            var answered = JsonSerializer.Deserialize<Answered>(message.ToString());
            if (answered is not null && _waiting.TryGetValue(answered.RunId, out var inbox))
                foreach (var outcome in answered.Outcomes) inbox.TryWrite(outcome);
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Answers relayed by another node could not be read.");
        }
    }
}
