using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace FleetDashboard.Web.Hosting;

/// <summary>
/// Which proxies the dashboard believes about the client's address and scheme (X-Forwarded-For, X-Forwarded-Proto).
/// Behind a TLS proxy the request arrives as plain HTTP; only with the proxy's word does the app know the browser used
/// HTTPS, so that HSTS is sent, cookies are Secure and redirects stay on https. Configured under
/// <c>Fleet:ForwardedHeaders</c>: <c>KnownProxies</c> (addresses) and <c>KnownNetworks</c> (CIDR); none configured
/// keeps ASP.NET Core's default, a proxy on this machine (loopback) only. One hop is read (the default ForwardLimit):
/// the proxy in front of the dashboard, not whatever a client wrote into the header before it.
/// </summary>
public static class ForwardedProxies
{
    public const string Section = "Fleet:ForwardedHeaders";

    public static void Configure(ForwardedHeadersOptions options, IConfiguration section)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        if (proxies.Length == 0 && networks.Length == 0) return;

        // Configured proxies replace the loopback default: a proxy that is not named is not believed.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var network in networks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
    }
}
