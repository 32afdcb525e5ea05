using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>
/// Every Content-Security-Policy violation in a browser context: the page's own <c>securitypolicyviolation</c> events
/// (reported through the console by a script Playwright adds before the page's own, outside the policy) and
/// Chromium's console errors that name the policy. Every browser test fails on any (<see cref="BrowserTest"/>), so every
/// page a test visits is checked against the policy the server sends.
/// </summary>
public sealed class CspWatch
{
    private const string Marker = "[csp-violation]";

    private const string ReportViolations =
        "document.addEventListener('securitypolicyviolation', e => console.error('" + Marker + " ' + e.violatedDirective + ' blocked ' + " +
        "(e.blockedURI || 'inline') + ' at ' + e.documentURI + (e.sample ? ' (' + e.sample + ')' : '')), true);";

    private readonly ConcurrentQueue<string> _violations = new();

    public static async Task<CspWatch> AttachAsync(IBrowserContext context)
    {
        var watch = new CspWatch();
        await context.AddInitScriptAsync(ReportViolations);
        context.Console += (_, message) =>
        {
            if (message.Text.Contains(Marker, StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                watch._violations.Enqueue(message.Text);
        };
        return watch;
    }

    public IReadOnlyList<string> Violations => [.. _violations];

    /// <summary>The violations so far, forgotten: for a test that provokes one on purpose.</summary>
    public IReadOnlyList<string> Take()
    {
        var taken = new List<string>();
        while (_violations.TryDequeue(out var violation)) taken.Add(violation);
        return taken;
    }
}
