using FleetDashboard.EndToEnd.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Security;

/// <summary>
/// The Content-Security-Policy the server sends, as Chromium enforces it: every page, its circuit (the WebSocket),
/// MudBlazor and the wall screen's script run with no violation. (Every browser test also fails on a violation.)
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    [Fact]
    public async Task A_page_that_breaks_the_policy_is_caught()
    {
        var page = await OpenPageAsync();
        var response = await page.GotoAsync("Account/Login");
        Assert.Contains("img-src 'self' data:", await response!.HeaderValueAsync("content-security-policy"));

        // An image from elsewhere: refused by img-src before any request is made.
        await page.EvaluateAsync("() => { const img = document.createElement('img'); img.src = 'http://192.0.2.1/tracker.png'; document.body.append(img); }");

        // Both reports, the page's event and Chromium's own console error, before they are taken (they arrive apart).
        await Wait.UntilAsync(() => CspViolations.Any(v => v.StartsWith("[csp-violation] img-src", StringComparison.Ordinal))
                                    && CspViolations.Any(v => v.Contains("Content Security Policy", StringComparison.Ordinal)),
            "the violation to be reported by the page and by Chromium");
        Assert.All(TakeCspViolations(), violation => Assert.Contains("img-src", violation));
    }

    [Fact]
    public async Task Every_page_and_the_wall_screen_run_under_the_policy_with_a_live_circuit()
    {
        var kiosk = await Server.QueryAsync(db => db.Applications.Where(a => a.Name == "kiosk-fleet").Select(a => a.Id).SingleAsync());
        var device = await Server.QueryAsync(db => db.Devices.Where(d => d.ApplicationId == kiosk).OrderBy(d => d.Name).Select(d => d.Id).FirstAsync());
        var page = await OpenPageAsync();
        await page.SignInAsync("admin");

        await VisitAsync(page, $"applications/{kiosk}", ".fleet-device-link");
        await VisitAsync(page, $"devices/{device}", "#device-name");
        await VisitAsync(page, $"applications/{kiosk}/members", "[data-member]");
        await VisitAsync(page, $"applications/{kiosk}/transfer", "[data-target]");
        await VisitAsync(page, "organizations", "[data-organization]");
        await VisitAsync(page, $"applications/{kiosk}/wall", "#create-wall-link");
        await page.Locator("#create-wall-link").ClickAsync();
        await Expect(page.Locator("#wall-link-url")).ToBeVisibleAsync();
        var wallLink = await page.Locator("#wall-link-url").TextContentAsync();
        var run = await Server.QueryAsync(db => db.ActionRuns.OrderByDescending(r => r.Id).Select(r => r.Id).FirstAsync());
        await VisitAsync(page, $"runs/{run}", "#run-action");
        await VisitAsync(page, $"applications/{kiosk}/history", ".fleet-history-run");
        await VisitAsync(page, "account/access-tokens", "#create-token");

        // The wall screen, live: its own reconnect script, its circuit, and no sign-in.
        var wall = await OpenPageAsync();
        var answer = await wall.GotoAsync(wallLink!);
        Assert.Contains("frame-ancestors 'none'", await answer!.HeaderValueAsync("content-security-policy"));
        await wall.WaitForCircuitAsync();
        await Expect(wall.Locator("#wall-application")).ToHaveTextAsync("kiosk-fleet");
        await Expect(wall.Locator("#wall-grid .wall-cell").First).ToBeAttachedAsync(); // drawn by the wall's own module

        Assert.Empty(CspViolations);
    }

    [Fact]
    public async Task The_api_reference_runs_under_its_policy_with_no_script_but_its_own()
    {
        var page = await OpenPageAsync();

        var response = await page.GotoAsync("scalar");

        // Its one inline start carries this answer's nonce; the rest of the policy is every page's.
        var policy = await response!.HeaderValueAsync("content-security-policy");
        Assert.Matches("script-src 'self' 'nonce-[^']+'", policy);
        Assert.Contains("connect-src 'self'", policy);
        // Drawn by its 5 MB bundle: on a busy machine that takes longer than Playwright's default 5 s.
        await Expect(page.GetByText("The organizations and applications you may see").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // Its bundle's validation library (zod) asks once whether eval is allowed (try { Function("") }) and, told no,
        // validates without it: that one refused probe is the only report; anything else fails the test at its end.
        await Wait.UntilAsync(() => CspViolations.Count > 0, "the bundle's eval probe to be refused");
        Assert.All(TakeCspViolations(), violation => Assert.StartsWith("[csp-violation] script-src blocked eval", violation));
    }

    private static async Task VisitAsync(IPage page, string path, string ready)
    {
        var response = await page.GotoAsync(path);
        Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy"));
        await page.WaitForCircuitAsync();
        await Expect(page.Locator(ready).First).ToBeVisibleAsync();
    }
}
