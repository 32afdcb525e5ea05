using System.Runtime.CompilerServices;
using System.Threading.Channels;
using FleetDashboard.Agent.Protocol;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

public sealed class DeliveryOptions
{
    /// <summary>How long a device has to answer an immediate action before it is recorded as timed out.</summary>
    public TimeSpan ActionTimeout { get; set; } = DeviceProtocol.ActionTimeout;
}

/// <summary>
/// Delivery over the devices' live connections. An immediate action goes to every targeted device at once;
/// each answer is yielded as it arrives. A device with no open connection is never notified, and nothing is
/// queued for it.
/// </summary>
public sealed class HubDeviceDelivery(IHubContext<DeviceHub> hub, DeviceConnections connections,
    IDbContextFactory<FleetDbContext> dbs, IOptions<DeliveryOptions> options) : IDeviceDelivery
{
    public async IAsyncEnumerable<DeliveryOutcome> DeliverAsync(long actionRunId, ImmediateDeviceAction action,
        IReadOnlyList<Device> devices, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var command = new ActionCommand(DeviceProtocol.Version, actionRunId, CommandFor(action), action.Force);
        var answers = Channel.CreateUnbounded<DeliveryOutcome>();
        var all = Task.WhenAll(devices.Select(async device =>
            answers.Writer.TryWrite(await DeliverAsync(device.Id, command, cancellationToken))));
        _ = all.ContinueWith(_ => answers.Writer.Complete(), TaskScheduler.Default);
        await foreach (var answer in answers.Reader.ReadAllAsync(cancellationToken))
            yield return answer;
    }

    private async Task<DeliveryOutcome> DeliverAsync(int deviceId, ActionCommand command, CancellationToken cancellationToken)
    {
        if (!connections.TryGetConnectionId(deviceId, out var connectionId))
            return new DeliveryOutcome(deviceId, Skip.Offline.Kind, Skip.Offline.Reason);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ActionTimeout);
        try
        {
            var result = await hub.Clients.Client(connectionId)
                .InvokeAsync<ActionResult>(DeviceProtocol.RunAction, command, timeout.Token);
            return result.Kind switch
            {
                ActionResultKind.Succeeded => new DeliveryOutcome(deviceId, OutcomeKind.Succeeded),
                ActionResultKind.Refused => new DeliveryOutcome(deviceId, OutcomeKind.Refused, result.Reason),
                _ => new DeliveryOutcome(deviceId, OutcomeKind.Failed, result.Reason),
            };
        }
        // SignalR reports a cancelled invocation as a HubException, not always as a cancellation.
        catch (Exception e) when (e is OperationCanceledException or HubException
                                  && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(deviceId, OutcomeKind.TimedOut, $"no answer within {options.Value.ActionTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is IOException or HubException or InvalidOperationException)
        {
            return new DeliveryOutcome(deviceId, OutcomeKind.Failed, $"connection lost: {e.Message}");
        }
    }

    /// <summary>
    /// Connected devices fetch their target state at once. A device that may no longer connect (deleted,
    /// orphaned) has its connection cut instead.
    /// </summary>
    public async Task NudgeAsync(IReadOnlyCollection<int> deviceIds, CancellationToken cancellationToken)
    {
        var connected = deviceIds.Where(connections.IsConnected).ToList();
        if (connected.Count == 0) return;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var stillMembers = (await db.Devices.Where(d => connected.Contains(d.Id) && d.ApplicationId != null)
            .Select(d => d.Id).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var deviceId in connected)
        {
            if (!stillMembers.Contains(deviceId))
            {
                connections.Abort(deviceId);
                continue;
            }
            if (connections.TryGetConnectionId(deviceId, out var connectionId))
                await hub.Clients.Client(connectionId).SendAsync(DeviceProtocol.TargetStateChanged, cancellationToken);
        }
    }

    private static DeviceCommand CommandFor(ImmediateDeviceAction action) => action switch
    {
        RestartApplication => DeviceCommand.Restart,
        PurgeData => DeviceCommand.Purge,
        RebootDevice => DeviceCommand.Reboot,
        ShutdownDevice => DeviceCommand.Shutdown,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action.Title, "No device command for this action."),
    };
}
