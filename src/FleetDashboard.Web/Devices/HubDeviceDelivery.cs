using System.Runtime.CompilerServices;
using System.Threading.Channels;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

public sealed class DeliveryOptions
{
    /// <summary>How long a device has to answer an immediate action before it is recorded as timed out.</summary>
    public TimeSpan ActionTimeout { get; set; } = DeviceProtocol.ActionTimeout;

    /// <summary>The reason of a device that did not answer in time.</summary>
    public string NoAnswer => $"no answer within {ActionTimeout.TotalSeconds:0} s";
}

/// <summary>
/// Delivery over the devices' live connections. An immediate action goes to every targeted device at once;
/// each answer is yielded as it arrives. A device with no open connection is never notified, and nothing is
/// queued for it.
/// </summary>
public sealed class HubDeviceDelivery(IHubContext<DeviceHub> hub, DeviceConnections connections, DeviceNudges nudges,
    IOptions<DeliveryOptions> options, IDeviceWhereabouts whereabouts, Cluster.NudgeRelay? relay = null) : IDeviceDelivery
{
    public async IAsyncEnumerable<DeliveryOutcome> DeliverAsync(long actionRunId, ImmediateDeviceAction action,
        IReadOnlyList<Device> devices, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var command = new ActionCommand(DeviceProtocol.Version, actionRunId, action.Command, action.Force);
        var answers = Channel.CreateUnbounded<DeliveryOutcome>();
        var all = Task.WhenAll(devices.Select(async device =>
            answers.Writer.TryWrite(await DeliverAsync(device.Id, command, cancellationToken))));
        _ = all.ContinueWith(done => answers.Writer.Complete(done.Exception), TaskScheduler.Default);
        await foreach (var answer in answers.Reader.ReadAllAsync(cancellationToken))
            yield return answer;
    }

    private async Task<DeliveryOutcome> DeliverAsync(int deviceId, ActionCommand command, CancellationToken cancellationToken)
    {
        var here = connections.TryGetConnectionId(deviceId, out var connectionId);
        if (!here)
        {
            try
            {
                connectionId = await whereabouts.ElsewhereAsync(deviceId, cancellationToken) ?? "";
            }
            catch (NodesUnreachableException)
            {
                return new DeliveryOutcome(deviceId, OutcomeKind.Refused, NodesUnreachableException.Reason);
            }
            if (connectionId.Length == 0) return new DeliveryOutcome(deviceId, Skip.Offline.Kind, Skip.Offline.Reason);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ActionTimeout);
        try
        {
            // On another node the invocation goes through the Redis backplane, and so does the device's answer:
            // RedisHubLifetimeManager (10.0) publishes it on the connection's channel with its own return channel
            // and completes the awaited result when the holding node sends the completion back (its
            // InvokeConnectionAsync; ClusterTests show it). A holding node that dies meanwhile is not noticed by it:
            // the timeout below closes the wait.
            var result = await hub.Clients.Client(connectionId)
                .InvokeAsync<ActionResult?>(DeviceProtocol.RunAction, command, timeout.Token);
            // What a device says is kept, but only as much of it as a person will read.
            var reason = result?.Reason is { Length: > MaxReason } said ? said[..MaxReason] + "…" : result?.Reason;
            return result?.Kind switch
            {
                ActionResultKind.Succeeded => new DeliveryOutcome(deviceId, OutcomeKind.Succeeded),
                ActionResultKind.Refused => new DeliveryOutcome(deviceId, OutcomeKind.Refused, reason ?? "refused by the device"),
                ActionResultKind.Failed => new DeliveryOutcome(deviceId, OutcomeKind.Failed, reason ?? "failed on the device"),
                _ => new DeliveryOutcome(deviceId, OutcomeKind.Failed, "the device gave no answer it could read"),
            };
        }
        // SignalR reports a cancelled invocation as a HubException, not always as a cancellation.
        catch (Exception e) when (e is OperationCanceledException or HubException
                                  && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(deviceId, OutcomeKind.TimedOut, options.Value.NoAnswer);
        }
        catch (Exception e) when (!here && e is not (HubException or IOException or OperationCanceledException))
        {
            // Redis dropped between the look-up and the send: nothing reached the device.
            return new DeliveryOutcome(deviceId, OutcomeKind.Refused, NodesUnreachableException.Reason);
        }
        catch (IOException)
        {
            return new DeliveryOutcome(deviceId, OutcomeKind.Failed, "connection lost before the device answered");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The device's own handler failed, or its answer could not be read: either way, it failed there.
            var message = e.Message.Length > MaxReason ? e.Message[..MaxReason] + "…" : e.Message;
            return new DeliveryOutcome(deviceId, OutcomeKind.Failed, $"the device could not run it: {message}");
        }
    }

    /// <summary>
    /// Connected devices fetch their target state at once; a device that may no longer connect (deleted, orphaned)
    /// has its connection cut instead, on whichever node holds it: those not here go to the other nodes.
    /// </summary>
    public async Task NudgeAsync(IReadOnlyCollection<int> deviceIds, CancellationToken cancellationToken)
    {
        if (relay is not null)
        {
            var elsewhere = deviceIds.Where(id => !connections.IsConnected(id)).ToList();
            if (elsewhere.Count > 0) relay.Send(elsewhere);
        }
        await nudges.NudgeHereAsync(deviceIds, cancellationToken);
    }

    private const int MaxReason = 200;
}
