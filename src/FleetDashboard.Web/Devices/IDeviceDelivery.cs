using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;

namespace FleetDashboard.Web.Devices;

/// <summary>What became of an immediate action on one device, as the device (or its absence) answered.</summary>
public sealed record DeliveryOutcome(int DeviceId, OutcomeKind Kind, string? Reason = null);

/// <summary>
/// The one door from the services to the devices. Immediate actions go over live connections and are never
/// queued; a change of target state is a nudge, which a connected device answers by fetching it.
/// </summary>
public interface IDeviceDelivery
{
    /// <summary>Sends the action to every device at once and yields each outcome as it arrives.</summary>
    IAsyncEnumerable<DeliveryOutcome> DeliverAsync(long actionRunId, ImmediateDeviceAction action,
        IReadOnlyList<Device> devices, CancellationToken cancellationToken);

    /// <summary>Tells the connected ones among these devices that their target state changed.</summary>
    Task NudgeAsync(IReadOnlyCollection<int> deviceIds, CancellationToken cancellationToken);
}

/// <summary>
/// Delivery while no device can hold a connection to this server: every device is unreachable, so an
/// immediate action is recorded as "not notified: offline" and settings wait until the device comes back.
/// </summary>
public sealed class NoDeviceConnections : IDeviceDelivery
{
    public async IAsyncEnumerable<DeliveryOutcome> DeliverAsync(long actionRunId, ImmediateDeviceAction action,
        IReadOnlyList<Device> devices, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var device in devices)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new DeliveryOutcome(device.Id, Skip.Offline.Kind, Skip.Offline.Reason);
        }
        await Task.CompletedTask;
    }

    public Task NudgeAsync(IReadOnlyCollection<int> deviceIds, CancellationToken cancellationToken) => Task.CompletedTask;
}
