using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace FleetDashboard.Web.Devices.PublicUrls;

/// <summary>
/// YARP's own transforms (hop-by-hop headers out, X-Forwarded-* in), then the public URL's: the device sees its own
/// path, never the dashboard's credentials; and on the path form, which shares the dashboard's origin, the device's
/// page runs sandboxed in an origin of its own and sets nothing there that outlives the page (cookies,
/// site data, HSTS, alternative services).
/// </summary>
public sealed class PublicUrlTransformer(PublicUrlTarget target, PublicUrlDevice device) : HttpTransformer
{
    // Every cookie the dashboard sets (sign-in, antiforgery) is named so.
    private const string DashboardCookiePrefix = ".AspNetCore.";

    public const string PathFormPolicy = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await Default.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + target.Path.ToUriComponent()
            + httpContext.Request.QueryString.ToUriComponent());
        if (target.ViaPath)
        {
            proxyRequest.Headers.Remove("X-Forwarded-Prefix");
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", target.Prefix.ToUriComponent());
        }
        KeepOnlyTheDevicesCookies(proxyRequest);
        if (proxyRequest.Headers.Authorization?.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) == true)
            proxyRequest.Headers.Authorization = null;
        proxyRequest.Options.Set(DeviceConnectionHandler.DeviceKey, device);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var carryOn = await Default.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (target.ViaPath)
        {
            foreach (var header in OriginWide) httpContext.Response.Headers.Remove(header);
            httpContext.Response.Headers.Append(HeaderNames.ContentSecurityPolicy, PathFormPolicy);
        }
        return carryOn;
    }

    /// <summary>Answer headers that act on the whole origin, the dashboard's own on the path form: a device says none of them there.</summary>
    private static readonly string[] OriginWide =
        [HeaderNames.SetCookie, "Clear-Site-Data", HeaderNames.StrictTransportSecurity, HeaderNames.AltSvc];

    /// <summary>The path form sends the device no cookie (it can set none); the host form only the device's own.</summary>
    private void KeepOnlyTheDevicesCookies(HttpRequestMessage proxyRequest)
    {
        if (!proxyRequest.Headers.TryGetValues(HeaderNames.Cookie, out var lines)) return;
        var kept = target.ViaPath
            ? []
            : lines.SelectMany(line => line.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .Where(pair => !pair.StartsWith(DashboardCookiePrefix, StringComparison.Ordinal))
                .ToList();
        proxyRequest.Headers.Remove(HeaderNames.Cookie);
        if (kept.Count > 0) proxyRequest.Headers.TryAddWithoutValidation(HeaderNames.Cookie, string.Join("; ", kept));
    }
}
