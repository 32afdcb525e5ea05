using System.Net;
using System.Net.Http.Headers;
using FleetDashboard.Web.Api.AccessTokens;
using FleetDashboard.Web.Tests.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Api;

/// <summary>Who gets in: a token in force as its person; revoked, expired and unknown tokens and cookies do not.</summary>
public sealed class ApiAccessTests(DeviceFleetServer server) : IClassFixture<DeviceFleetServer>
{
    [Fact]
    public async Task A_valid_token_lists_the_applications_its_person_may_see_and_notes_its_use()
    {
        var fleet = await server.FleetAsync("api-list");
        using var api = await ApiClient.ForAsync(server, fleet.Operator);

        var organizations = await ApiClient.JsonAsync(await api.GetAsync("api/v1/applications"));

        var application = Assert.Single(organizations.EnumerateArray().SelectMany(o => o.GetProperty("applications").EnumerateArray()));
        Assert.Equal("api-list", application.GetProperty("name").GetString());
        Assert.Equal("Operator", application.GetProperty("role").GetString());
        Assert.NotNull(await server.QueryAsync(db => db.PersonalAccessTokens.Where(t => t.TokenHash == Core.Access.Secret.Hash(api.Token))
            .Select(t => t.LastUsedAt).SingleAsync()));
    }

    [Fact]
    public async Task Revoked_expired_and_unknown_tokens_are_401_problems_saying_which()
    {
        var fleet = await server.FleetAsync("api-spent");
        using var revoked = await ApiClient.ForAsync(server, fleet.Operator, "to revoke");
        using var expired = await ApiClient.ForAsync(server, fleet.Operator, "to expire");
        var tokens = server.Services.GetRequiredService<AccessTokens>();
        var list = await tokens.ListAsync(fleet.Operator);
        Assert.True(await tokens.RevokeAsync(fleet.Operator, list.Single(t => t.Name == "to revoke").Id));
        await using (var db = await server.DbAsync())
        {
            // A month later, without waiting one.
            var expiringId = list.Single(l => l.Name == "to expire").Id;
            var token = await db.PersonalAccessTokens.SingleAsync(t => t.Id == expiringId);
            token.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        Assert.StartsWith("The access token \"to revoke\" was revoked on",
            await ApiClient.ProblemAsync(await revoked.GetAsync("api/v1/applications"), HttpStatusCode.Unauthorized));
        Assert.StartsWith("The access token \"to expire\" expired on",
            await ApiClient.ProblemAsync(await expired.GetAsync("api/v1/applications"), HttpStatusCode.Unauthorized));
        using var unknown = new HttpClient { BaseAddress = server.BaseAddress };
        unknown.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccessTokens.Prefix + "made-up");
        Assert.Equal("The access token is unknown.",
            await ApiClient.ProblemAsync(await unknown.GetAsync("api/v1/applications"), HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task A_signed_in_browser_cookie_does_not_open_the_api()
    {
        await server.FleetAsync("api-cookie");
        using var browser = server.CreateBrowser();
        var signIn = await browser.SignInAsync("api-cookie-operator@acme.test", "Operator-password-1");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var detail = await ApiClient.ProblemAsync(await browser.GetAsync("api/v1/applications"), HttpStatusCode.Unauthorized);

        Assert.Contains("Authorization: Bearer", detail);
    }
}
