using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Devices;

namespace FleetDashboard.Web.Tests.Services;

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
