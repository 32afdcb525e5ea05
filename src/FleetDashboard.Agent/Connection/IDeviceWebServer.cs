using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Connection;

/// <summary>A web server's answer on the device: its status and headers, and its body to be read in parts.</summary>
public sealed record DeviceWebAnswer(int Status, IReadOnlyList<PublicUrlHeader> Headers, Stream Body);

/// <summary>What answers the device's public URL: its port 80 (<see cref="LocalWebServer"/>), or a simulated device's own page.</summary>
public interface IDeviceWebServer
{
    Task<DeviceWebAnswer> ServeAsync(PublicUrlRequest request, CancellationToken cancellationToken);
}
