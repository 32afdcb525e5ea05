using NetEscapades.AspNetCore.SecurityHeaders.Headers.ContentSecurityPolicy;

namespace FleetDashboard.Web.Hosting;

/// <summary>
/// The security headers every answer carries (NetEscapades.AspNetCore.SecurityHeaders). The Content-Security-Policy
/// allows what the dashboard itself serves and nothing else:
/// scripts only from its own origin (blazor.web.js, MudBlazor.min.js, the reconnect modules, local-time.js: no inline
/// script, no eval); connections to its own origin, where 'self' covers the circuit's WebSocket (ws/wss on the same
/// host, CSP level 3); styles from its own origin and inline, because MudBlazor writes its theme as a &lt;style&gt;
/// element and positions popovers, progress bars and grids through style attributes, in markup and from script (a
/// nonce cannot cover attributes, and style can only restyle the page, not run code); images from its own origin and
/// data: URIs (MudBlazor's CSS draws some controls that way). No page may be framed, the wall screen included: it is
/// meant to be opened full screen from its link, and a frame would let another site dress it up or click through it.
/// </summary>
public static class FleetSecurityHeaders
{
    /// <summary>
    /// One year, the usual HSTS lifetime; sent only on HTTPS answers (as the forwarded headers give the scheme), and never
    /// for localhost, 127.0.0.1 or [::1], where it would stick to every other local development server.
    /// </summary>
    public const int HstsSeconds = 365 * 24 * 60 * 60;

    /// <param name="script">More for script-src on one path (a nonce for the API reference's inline start).</param>
    public static HeaderPolicyCollection Policies(Action<ScriptSourceDirectiveBuilder>? script = null) => new HeaderPolicyCollection()
        .AddContentTypeOptionsNoSniff()
        .AddFrameOptionsDeny()
        .AddReferrerPolicyStrictOriginWhenCrossOrigin()
        .AddCrossOriginOpenerPolicy(policy => policy.SameOrigin())
        .AddStrictTransportSecurityMaxAge(HstsSeconds)
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            var scripts = csp.AddScriptSrc().Self();
            script?.Invoke(scripts);
            csp.AddConnectSrc().Self();
            csp.AddStyleSrc().Self().UnsafeInline();
            csp.AddImgSrc().Self().Data();
            csp.AddFontSrc().Self().Data();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().Self();
            csp.AddFormAction().Self();
            csp.AddFrameAncestors().None();
        });
}
