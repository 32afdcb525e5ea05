using System.Net;
using FleetDashboard.Web.Tests.Infrastructure;

namespace FleetDashboard.Web.Tests.Hosting;

/// <summary>A server that believes one named proxy only, which is not the loopback the tests come from.</summary>
public sealed class DistantProxyServer() : FleetServer(new FleetServerOptions
{
    Settings = new Dictionary<string, string?> { ["Fleet:ForwardedHeaders:KnownProxies:0"] = "192.0.2.10" },
});

/// <summary>
/// Behind a TLS proxy the request arrives as plain HTTP: with the proxy's X-Forwarded-Proto the dashboard knows the
/// browser used HTTPS and answers with HSTS and Secure cookies; a proxy that is not believed changes nothing.
/// </summary>
public class ForwardedHeadersTests(FleetServer server, DistantProxyServer distant) : IClassFixture<FleetServer>, IClassFixture<DistantProxyServer>
{
    private static async Task<HttpResponseMessage> LoginPageAsync(FleetServer at, string? forwardedProto)
    {
        using var browser = at.CreateBrowser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "Account/Login");
        // A proxy passes the public host on; HSTS is never sent for localhost or 127.0.0.1 themselves.
        request.Headers.Host = "fleet.example.test";
        if (forwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        return await browser.Http.SendAsync(request);
    }

    private static IReadOnlyList<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

    [Fact]
    public async Task Https_through_the_local_proxy_gets_hsts_and_secure_cookies()
    {
        using var response = await LoginPageAsync(server, "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("max-age=", string.Join("", response.Headers.GetValues("Strict-Transport-Security")));
        var cookies = Cookies(response);
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Plain_http_gets_neither_and_its_cookies_still_work_on_127_0_0_1()
    {
        using var response = await LoginPageAsync(server, null);

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        var cookies = Cookies(response);
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie => Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_proxy_that_is_not_named_is_not_believed()
    {
        using var response = await LoginPageAsync(distant, "https");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.All(Cookies(response), cookie => Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }
}
