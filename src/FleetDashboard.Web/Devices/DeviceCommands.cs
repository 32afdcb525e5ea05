using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// Runs an action's command on a device connected to this node and reads its answer. Every node does this for its own
/// devices: the node that confirmed a run for those here, the others for theirs (<see cref="Cluster.DeliveryRelay"/>).
/// </summary>
public sealed class DeviceCommands(IHubContext<DeviceHub> hub, DeviceConnections connections, IOptions<DeliveryOptions> options)
{
    /// <summary>The device's outcome: its answer, or why there is none. Never throws for the device's sake.</summary>
    /// <param name="timeout">How long the device has to answer: the action timeout unless the sender already spent some of it.</param>
    public async Task<DeliveryOutcome> RunAsync(int deviceId, ActionCommand command, CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        // Asked only for a device found connected a moment ago: one that is gone now closed before it was reached.
        if (!connections.TryGetConnectionId(deviceId, out var connectionId))
            return new DeliveryOutcome(deviceId, OutcomeKind.Failed, ConnectionLost);
        using var late = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var allowed = options.Value.ActionTimeout;
        late.CancelAfter(timeout is { } given ? TimeSpan.FromTicks(Math.Clamp(given.Ticks, 0, allowed.Ticks)) : allowed);
        try
        {
            var result = await hub.Clients.Client(connectionId)
                .InvokeAsync<ActionResult?>(DeviceProtocol.RunAction, command, late.Token);
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
                                  && late.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(deviceId, OutcomeKind.TimedOut, options.Value.NoAnswer);
        }
        catch (IOException)
        {
            return new DeliveryOutcome(deviceId, OutcomeKind.Failed, ConnectionLost);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The device's own handler failed, or its answer could not be read: either way, it failed there.
            var message = e.Message.Length > MaxReason ? e.Message[..MaxReason] + "…" : e.Message;
            return new DeliveryOutcome(deviceId, OutcomeKind.Failed, $"the device could not run it: {message}");
        }
    }

    public const string ConnectionLost = "connection lost before the device answered";

    private const int MaxReason = 200;
}
