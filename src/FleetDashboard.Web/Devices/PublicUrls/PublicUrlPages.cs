using System.Net;

namespace FleetDashboard.Web.Devices.PublicUrls;

/// <summary>
/// The dashboard's own small pages on a public URL (not found, offline, no answer). Nothing of the dashboard's layout,
/// script or style: a public URL shows the device or says in a sentence why it cannot.
/// </summary>
public static class PublicUrlPages
{
    public static Task NotFoundAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status404NotFound,
        "No public URL here", "There is no device with a public URL at this address, or its public URL is turned off.");

    public static Task FailedAsync(HttpContext context, PublicUrlFailure failure) =>
        WriteAsync(context, failure.Status, failure.Title, failure.Message);

    public static async Task WriteAsync(HttpContext context, int status, string title, string message)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        if (status == StatusCodes.Status503ServiceUnavailable) response.Headers.RetryAfter = "30";
        await response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>body{font-family:system-ui,sans-serif;margin:4rem auto;max-width:36rem;color:#222}</style></head>
            <body><h1>{{WebUtility.HtmlEncode(title)}}</h1><p>{{WebUtility.HtmlEncode(message)}}</p></body></html>
            """, context.RequestAborted);
    }
}
