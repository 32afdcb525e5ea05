using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.HttpOverrides;
using FleetDashboard.Web.Components.Account;
using FleetDashboard.Web.Devices.PublicUrls;

namespace FleetDashboard.Web.Hosting;

public static class FleetSecurityExtensions
{
    /// <summary>
    /// Deployment defaults: the proxy's word on scheme and client address, Secure cookies on HTTPS, the security
    /// headers, the public base address for links that leave the dashboard, and the sign-in throttle.
    /// </summary>
    public static WebApplicationBuilder AddFleetSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<ForwardedHeadersOptions>(options =>
            ForwardedProxies.Configure(options, builder.Configuration.GetSection(ForwardedProxies.Section)));
        // SameAsRequest: Secure whenever the browser came over HTTPS (directly or through a believed proxy), and
        // still usable on plain http://127.0.0.1 in Development.
        services.Configure<CookiePolicyOptions>(options =>
        {
            options.Secure = CookieSecurePolicy.SameAsRequest;
            options.HttpOnly = HttpOnlyPolicy.Always;
            options.MinimumSameSitePolicy = SameSiteMode.Lax;
        });
        services.AddSingleton(PublicBaseAddress.From(builder.Configuration));
        builder.AddSignInThrottle();
        return builder;
    }

    /// <summary>First in the pipeline: everything after it sees the browser's scheme and address, and every answer gets the headers.</summary>
    public static WebApplication UseFleetSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        // A device's public URL is answered before the dashboard's own headers and rules (see UseFleetPublicUrls).
        app.UseFleetPublicUrls();
        app.UseSecurityHeaders(FleetSecurityHeaders.Policies());
        app.UseCookiePolicy();
        // The one rate limiter: sign-in's global limit and device registration's policies. Endpoint policies
        // work here already: the host routes first.
        app.UseRateLimiter();
        return app;
    }
}
