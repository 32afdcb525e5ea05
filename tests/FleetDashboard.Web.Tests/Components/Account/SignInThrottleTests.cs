using System.Net;
using FleetDashboard.Web.Components.Account;
using FleetDashboard.Web.Tests.Infrastructure;

namespace FleetDashboard.Web.Tests.Components.Account;

/// <summary>A server that allows three sign-in attempts per address a minute.</summary>
public sealed class ThrottledSignInServer() : FleetServer(new FleetServerOptions
{
    Settings = new Dictionary<string, string?> { ["Fleet:SignInThrottle:PermitLimit"] = "3", ["Fleet:SignInThrottle:WindowSeconds"] = "60" },
});

/// <summary>Sign-in attempts are limited per client address, whatever the accounts tried; reading the page never is.</summary>
public class SignInThrottleTests(ThrottledSignInServer server) : IClassFixture<ThrottledSignInServer>
{
    [Fact]
    public async Task The_fourth_attempt_in_a_minute_is_refused_with_a_reason_and_when_to_retry()
    {
        using var browser = server.CreateBrowser();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            using var allowed = await browser.SignInAsync($"person-{attempt}@acme.test", "Wrong-password-1");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await browser.SignInAsync("person-4@acme.test", "Wrong-password-1");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(SignInThrottle.Refusal(retryAfter), await refused.Content.ReadAsStringAsync());
        Assert.Contains("Too many sign-in attempts from your network address", await refused.Content.ReadAsStringAsync());

        using var page = await browser.GetAsync("Account/Login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
