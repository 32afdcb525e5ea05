using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace FleetDashboard.Web.Components.Account;

/// <summary>
/// Sign-in attempts per client address (the built-in rate limiter): the per-account lockout stops guessing one
/// password, this stops one address from trying many accounts, or from keeping everyone's accounts locked.
/// <c>Fleet:SignInThrottle:PermitLimit</c> attempts per <c>Fleet:SignInThrottle:WindowSeconds</c>; only the form's
/// POST counts, so reading the page is never refused.
/// </summary>
public static class SignInThrottle
{
    public const string Section = "Fleet:SignInThrottle";
    public const string LoginPath = "/Account/Login";

    public static WebApplicationBuilder AddSignInThrottle(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(Section);
        var permits = section.GetValue("PermitLimit", 10);
        var window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", 60));
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsSignIn(context.Request)
                    ? RateLimitPartition.GetSlidingWindowLimiter(ClientOf(context), _ => new SlidingWindowRateLimiterOptions
                    {
                        PermitLimit = permits, Window = window, SegmentsPerWindow = 6, QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = RefuseAsync;
        });
        return builder;
    }

    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>The client's address as the believed proxies give it (forwarded headers run first).</summary>
    private static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>
    /// The rate limiter has one rejection handler for every limit: 429 and Retry-After for all, and the sign-in's
    /// sentence only on the sign-in (another limit, such as registrations', keeps its own words if it writes any).
    /// </summary>
    private static async ValueTask RefuseAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var response = rejected.HttpContext.Response;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (!IsSignIn(rejected.HttpContext.Request)) return;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(Refusal(seconds), ct);
    }

    public static string Refusal(int seconds) =>
        $"Too many sign-in attempts from your network address. Wait {seconds} seconds, then try again.";
}
