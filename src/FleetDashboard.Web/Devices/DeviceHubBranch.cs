using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Devices.PublicUrls;
using FleetDashboard.Web.Hosting;
using Microsoft.AspNetCore.Http.Connections;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// The device hub's own short branch, first in the pipeline. A device's WebSocket request lasts as long as its
/// connection, days, and every middleware that awaits around it keeps its frame, and what it made, alive for all that
/// time: 7.3 KB a connection over bare SignalR in a gcdump at 10,000 devices, nearly all of it the pipeline the pages
/// need (docs/benchmarks.md, issue 14). Here a device meets only what its answers need: the proxy's word on its scheme
/// and address and the security headers (every answer as before), sign-in by its credential alone (the hub's
/// authorization names the device scheme; no cookie is read), keep-out, the door, and the hub, in a routing world of
/// its own that holds the hub alone. A startup filter, so that the branch comes before what the host puts ahead of the
/// app's own middleware (Development's exception page, routing, authentication, authorization), which the pages keep
/// as they were. A device's public URL on its own host is not for this branch.
/// </summary>
internal sealed class DeviceHubBranch(DevicePublicUrls publicUrls, DeviceRateLimit rateLimit, DeviceAdmission admission) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.MapWhen(IsForTheHub, Branch);
        next(app);
    };

    private bool IsForTheHub(HttpContext http) =>
        http.Request.Path.StartsWithSegments(DeviceProtocol.HubPath) && publicUrls.Match(http.Request) is null;

    private void Branch(IApplicationBuilder hub)
    {
        hub.UseForwardedHeaders();
        hub.UseSecurityHeaders(FleetSecurityHeaders.Policies());
        hub.UseRouting();
        hub.UseAuthorization();
        hub.Use(rateLimit.KeepOutAsync);
        hub.Use(admission.AdmitAsync);
        // WebSockets only, as the agent connects: a long poll would hold a place at the door for each of its polls.
        hub.UseEndpoints(endpoints => endpoints.MapHub<DeviceHub>(DeviceProtocol.HubPath, o => o.Transports = HttpTransportType.WebSockets));
    }
}
