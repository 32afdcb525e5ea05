using Bunit;
using FleetDashboard.Core.Access;
using FleetDashboard.Web.Api.AccessTokens;
using FleetDashboard.Web.Components.Pages.Account;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.Account;

/// <summary>The account page's tokens: made with the secret shown once, listed without it, revoked; only one's own.</summary>
public sealed class AccessTokensPageTests : ComponentTest
{
    private readonly FleetStore _store = new();
    private FleetUser _ada = null!, _bob = null!;

    protected override async Task ArrangeAsync()
    {
        await _store.InitializeAsync();
        (_ada, _bob) = (await _store.UserAsync("ada"), await _store.UserAsync("bob"));
        Services.AddSingleton(new AccessTokens(_store.Factory, _store.Clock, NullLogger<AccessTokens>.Instance));
        Services.AddSingleton<TimeProvider>(_store.Clock);
    }

    protected override Task DisposeMoreAsync() => _store.DisposeAsync();

    private IRenderedComponent<AccessTokensPage> RenderFor(FleetUser user)
    {
        Render<MudPopoverProvider>();
        return Render<AccessTokensPage>(ps => ps.AddCascadingValue(Task.FromResult(new AuthenticationState(FleetStore.SignedIn(user)))));
    }

    [Fact]
    public async Task A_token_is_shown_once_kept_as_a_hash_listed_and_revoked()
    {
        var page = RenderFor(_ada);
        page.WaitForAssertion(() => page.Find("#no-tokens"));

        page.Find("#token-name").Input("deploy pipeline");
        await page.Find("#create-token").ClickAsync(new());

        var secret = page.WaitForElement("#new-token-secret").TextContent;
        Assert.StartsWith(AccessTokens.Prefix, secret);
        await using (var db = _store.Db())
        {
            var stored = await db.PersonalAccessTokens.SingleAsync();
            Assert.Equal(Secret.Hash(secret), stored.TokenHash);
            Assert.Equal(_store.Clock.Now + TimeSpan.FromDays(30), stored.ExpiresAt);
        }
        var row = page.Find("#access-tokens tbody tr");
        Assert.Equal("deploy pipeline", row.QuerySelector(".token-name")!.TextContent);
        Assert.DoesNotContain(secret, page.Find("#access-tokens").OuterHtml);

        await page.Find(".revoke-token").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Revoked", page.Find("#access-tokens .token-state").TextContent.Trim()));
        Assert.Empty(page.FindAll(".revoke-token"));
    }

    [Fact]
    public async Task Another_persons_tokens_are_neither_listed_nor_revocable()
    {
        var tokens = Services.GetRequiredService<AccessTokens>();
        await tokens.CreateAsync(FleetStore.SignedIn(_bob), "bob's script", TimeSpan.FromDays(7));
        var bobs = Assert.Single(await tokens.ListAsync(FleetStore.SignedIn(_bob)));

        var page = RenderFor(_ada);

        page.WaitForAssertion(() => page.Find("#no-tokens"));
        Assert.False(await tokens.RevokeAsync(FleetStore.SignedIn(_ada), bobs.Id));
        Assert.Null((await tokens.ListAsync(FleetStore.SignedIn(_bob))).Single().RevokedAt);
    }

    [Fact]
    public async Task A_second_token_of_the_same_name_and_one_beyond_a_year_are_refused()
    {
        var tokens = Services.GetRequiredService<AccessTokens>();
        var ada = FleetStore.SignedIn(_ada);
        Assert.Null((await tokens.CreateAsync(ada, "ci", TimeSpan.FromDays(7))).Problem);

        Assert.Equal("You already have a token named ci.", (await tokens.CreateAsync(ada, "ci", TimeSpan.FromDays(7))).Problem);
        Assert.Equal("A token lives at least a moment and at most a year.", (await tokens.CreateAsync(ada, "long", TimeSpan.FromDays(366))).Problem);
    }
}
