using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetDashboard.Web.Operations;

/// <summary>The answer a load balancer logs and a person reads: the status, then each check and why.</summary>
public static class HealthAnswer
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder(report.Status.ToString()).Append('\n');
        foreach (var (name, entry) in report.Entries) text.Append(name).Append(": ").Append(entry.Description ?? entry.Status.ToString()).Append('\n');
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(text.ToString());
    }
}
