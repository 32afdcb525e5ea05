using FleetDashboard.Web.Data;
using Microsoft.AspNetCore.SignalR;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// A device's message that could not be stored because the store is out fails with a reason the device can read,
/// rather than SignalR's bare "an unexpected error occurred": the device knows its report was not stored and sends
/// it again (the agent retries an unacknowledged report; see DeviceAgent.SendReportsAsync).
/// </summary>
public sealed class StoreOutageFilter : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocation);
        }
        catch (Exception e) when (e is not HubException && StoreOutage.Is(e))
        {
            throw new HubException(StoreOutage.DeviceMessage);
        }
    }
}
