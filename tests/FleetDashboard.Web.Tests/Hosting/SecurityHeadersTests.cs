using System.Net;
using System.Reflection;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Data;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Hosting;

/// <summary>Every page the app routes, and what is not a page, answers with the security headers.</summary>
public class SecurityHeadersTests(DemoFleetServer server) : IClassFixture<DemoFleetServer>
{
    /// <summary>Every @page route of the dashboard, found on the components themselves so that a new page is covered too.</summary>
    public static TheoryData<string> Routes()
    {
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(type => type.GetCustomAttributes<RouteAttribute>())
            .Select(route => route.Template)
            .Distinct()
            .Order(StringComparer.Ordinal);
        return new TheoryData<string>(routes);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_page_answers_with_the_security_headers(string template)
    {
        using var browser = server.CreateBrowser();
        await browser.SignInAsync("admin@acme.test", FleetServer.DemoPassword);

        using var response = await browser.GetAsync(await PathOfAsync(template));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.NotFound,
            $"{template} answered {(int)response.StatusCode}");
        AssertSecurityHeaders(response);
    }

    [Theory]
    [InlineData("_framework/blazor.web.js")]
    [InlineData("api/no-such-thing")]
    [InlineData("hubs/devices")]
    [InlineData("no-such-page")]
    public async Task Scripts_machine_paths_and_missing_pages_carry_them_too(string path)
    {
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(path);

        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Plain_http_gets_no_hsts()
    {
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync("Account/Login");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri} answered without {name}.");

    /// <summary>The template with real ids from the demo: an application, one of its devices, a run, any wall token.</summary>
    private async Task<string> PathOfAsync(string template)
    {
        var (application, device, run) = await server.QueryAsync(async db => (
            await db.Applications.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync(),
            await db.Devices.OrderBy(d => d.Id).Select(d => d.Id).FirstAsync(),
            await db.ActionRuns.OrderBy(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync() ?? 1));
        var path = template.TrimStart('/');
        path = path.StartsWith("devices/", StringComparison.Ordinal) ? Fill(path, device)
            : path.StartsWith("runs/", StringComparison.Ordinal) ? Fill(path, run)
            : path.StartsWith("wall/", StringComparison.Ordinal) ? Fill(path, "no-such-token")
            : Fill(path, application);
        return path;
    }

    private static string Fill(string path, object value) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]+\}", value.ToString()!);
}
