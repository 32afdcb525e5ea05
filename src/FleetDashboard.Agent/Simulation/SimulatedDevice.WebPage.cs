using System.Net;
using System.Text;
using FleetDashboard.Agent.Connection;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Simulation;

/// <summary>
/// What a simulated device serves on its port 80: one small page about itself (its name, uptime and release), so that
/// its public URL shows something of the device. Only the simulator does this; a real agent forwards to the device.
/// </summary>
public sealed partial class SimulatedDevice : IDeviceWebServer
{
    // When the device last came up: at power on, and after every boot.
    private DateTimeOffset _upSince;

    /// <summary>How long the device has been up since its last boot.</summary>
    public TimeSpan Uptime => Read(() => _power == DevicePower.Running ? _clock.Now - _upSince : TimeSpan.Zero);

    public Task<DeviceWebAnswer> ServeAsync(PublicUrlRequest request, CancellationToken cancellationToken)
    {
        var path = request.PathAndQuery.Split('?', 2)[0];
        if (path != "/") return Task.FromResult(Page(404, "Not found", "<p>This device serves one page, at /.</p>"));
        var (name, uuid, release) = Read(() => (_name, _uuid, _releaseCommit));
        var title = WebUtility.HtmlEncode(name ?? uuid ?? "device");
        return Task.FromResult(Page(200, title, $"""
            <dl>
            <dt>Device</dt><dd id="device-name">{title}</dd>
            <dt>Uptime</dt><dd id="device-uptime">{UptimeText(Uptime)}</dd>
            <dt>Release</dt><dd id="device-release">{WebUtility.HtmlEncode(release ?? "none")}</dd>
            </dl>
            """));
    }

    private static string UptimeText(TimeSpan uptime) =>
        uptime.TotalHours >= 1 ? $"{(int)uptime.TotalHours} h {uptime.Minutes} min" : $"{uptime.Minutes} min {uptime.Seconds} s";

    private static DeviceWebAnswer Page(int status, string title, string body)
    {
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
            <body><h1>{title}</h1>{body}</body></html>
            """;
        return new DeviceWebAnswer(status, [new PublicUrlHeader("Content-Type", "text/html; charset=utf-8")],
            new MemoryStream(Encoding.UTF8.GetBytes(html)));
    }
}
