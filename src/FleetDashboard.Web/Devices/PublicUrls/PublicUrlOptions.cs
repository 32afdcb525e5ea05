using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Web.Devices.PublicUrls;

/// <summary>The bounds of a public URL request (<c>Fleet:PublicUrls</c>); the devices' domain is <c>Fleet:DevicesDomain</c>.</summary>
public sealed class PublicUrlOptions
{
    public const string Section = "Fleet:PublicUrls";
    public const string DevicesDomainKey = "Fleet:DevicesDomain";

    /// <summary>From the dashboard to the device and back; a slower device gets a 504.</summary>
    public TimeSpan Timeout { get; set; } = DeviceProtocol.PublicUrlTimeout;

    /// <summary>The largest request body sent to a device and the largest answer body taken from one.</summary>
    public int MaxBodyBytes { get; set; } = DeviceProtocol.PublicUrlMaxBodyBytes;

    /// <summary>Requests for one device at once: one at the device, the others waiting their turn; more get a 503.</summary>
    public int MaxConcurrentPerDevice { get; set; } = 8;

    /// <summary>Requests all devices serve at once: each may hold two bodies of <see cref="MaxBodyBytes"/> in memory.</summary>
    public int MaxConcurrent { get; set; } = 256;
}
