using FleetDashboard.Web.Hosting;

namespace FleetDashboard.Web.Devices.PublicUrls;

/// <summary>Which device a public URL request is for.</summary>
/// <param name="Uuid">As the address spells it; not yet checked.</param>
/// <param name="Path">The path the device sees; empty for <c>/public/&lt;uuid&gt;</c> without its slash.</param>
/// <param name="Prefix">The path form's <c>/public/&lt;uuid&gt;</c>, empty for the host form.</param>
public sealed record PublicUrlTarget(string Uuid, PathString Path, PathString Prefix)
{
    public bool ViaPath => Prefix.HasValue;
}

/// <summary>
/// Where a device's public URL lives, both ways. With <c>Fleet:DevicesDomain</c> set (and a wildcard DNS name and
/// certificate for it), <c>https://&lt;uuid&gt;.&lt;domain&gt;/</c>: the device gets an origin of its own. Always also the path
/// form <c>/public/&lt;uuid&gt;/</c> on the dashboard's own address, for set-ups without wildcard DNS; it is the link the
/// device page shows when no domain is set.
/// </summary>
public sealed class DevicePublicUrls(IConfiguration configuration, PublicBaseAddress publicBase)
{
    public const string PathPrefix = "/public";

    private readonly string? _domain = configuration[PublicUrlOptions.DevicesDomainKey]?.Trim().Trim('.').ToLowerInvariant() is { Length: > 0 } domain
        ? domain
        : null;

    public string? DevicesDomain => _domain;

    /// <summary>The address a person opens; the host form keeps the scheme of the dashboard's public address (https without one).</summary>
    public Uri AddressOf(string uuid, string pageBaseUri) => _domain is null
        ? publicBase.Of($"{PathPrefix.TrimStart('/')}/{uuid}/", pageBaseUri)
        : new Uri($"{publicBase.Configured?.Scheme ?? Uri.UriSchemeHttps}://{uuid}.{_domain}/");

    /// <summary>The device a request is for, or null when it is a request for the dashboard itself.</summary>
    public PublicUrlTarget? Match(HttpRequest request)
    {
        var host = request.Host.Host;
        if (_domain is not null && host.EndsWith("." + _domain, StringComparison.OrdinalIgnoreCase))
            return new PublicUrlTarget(host[..^(_domain.Length + 1)].ToLowerInvariant(), request.Path, PathString.Empty);
        if (!request.Path.StartsWithSegments(PathPrefix, out var rest)) return null;
        var value = rest.Value ?? "";
        var slash = value.Length > 1 ? value.IndexOf('/', 1) : -1;
        var uuid = value.Length > 1 ? (slash < 0 ? value[1..] : value[1..slash]) : "";
        return new PublicUrlTarget(uuid, slash < 0 ? PathString.Empty : new PathString(value[slash..]), new PathString($"{PathPrefix}/{uuid}"));
    }
}
