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
