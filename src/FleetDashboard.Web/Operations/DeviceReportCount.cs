using FleetDashboard.Web.Devices;
using Microsoft.AspNetCore.SignalR;

namespace FleetDashboard.Web.Operations;

/// <summary>
/// Counts the reports the hub accepted. A hub filter added after the device rate limit's, so what that limit drops
/// is not counted, and the hub itself stays about devices.
/// </summary>
public sealed class DeviceReportCount(FleetMetrics metrics) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var result = await next(invocationContext);
        if (invocationContext.HubMethodName == nameof(DeviceHub.Report)) metrics.DeviceReported();
        return result;
    }
}
