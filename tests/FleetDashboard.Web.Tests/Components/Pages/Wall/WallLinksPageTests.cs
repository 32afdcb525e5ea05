using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using System.Security.Claims;
using Bunit;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Components.Pages.Wall;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Hosting;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.Wall;

public sealed class WallLinksPageTests : ComponentTest
{
    private readonly FleetStore _store = new();
    private Application _kiosks = null!;
    private ClaimsPrincipal _admin = null!;
    private ClaimsPrincipal _operator = null!;

    protected override async Task ArrangeAsync()
    {
        await _store.InitializeAsync();
        (_kiosks, _admin, _operator) = await WallFleet.AcmeAsync(_store);

        Services.AddSingleton(_store.Queries);
        Services.AddSingleton(_store.Actions);
        Services.AddSingleton(new DeviceFeed(TimeProvider.System));
        Services.AddSingleton<TimeProvider>(_store.Clock);
        // The page's own address is http://localhost/ here: the link must come from the configured public address.
        Services.AddSingleton(new PublicBaseAddress(new Uri("https://fleet.example.test/")));
    }

    protected override Task DisposeMoreAsync() => _store.DisposeAsync();

    private IRenderedComponent<WallLinksPage> RenderPage(ClaimsPrincipal user)
    {
        Render<MudPopoverProvider>();
        return Render<WallLinksPage>(ps => ps.Add(p => p.Id, _kiosks.Id)
            .AddCascadingValue(Task.FromResult(new AuthenticationState(user))));
    }

    [Fact]
    public void An_operator_is_told_who_manages_links_and_offered_nothing()
    {
        var page = RenderPage(_operator);

        page.WaitForAssertion(() => Assert.Contains("made and revoked by the administrators", page.Find("#wall-not-administrator").TextContent));
        Assert.Empty(page.FindAll("#create-wall-link"));
        Assert.Empty(page.FindAll(".revoke-wall-link"));
        Assert.Empty(page.FindAll("#wall-links"));
    }

    [Fact]
    public async Task An_administrator_creates_a_link_shown_once_then_revokes_it_after_confirming()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(_admin);
        page.WaitForAssertion(() => Assert.Equal("No wall screen link yet.", page.Find("#no-wall-links").TextContent));

        await page.Find("#create-wall-link").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Matches(@"^https://fleet\.example\.test/wall/[A-Za-z0-9_-]{43}$", page.Find("#wall-link-url").TextContent));
        var token = page.Find("#wall-link-url").TextContent[^43..];
        Assert.NotNull(await _store.Queries.WallAsync(token));
        Assert.Equal("_blank", page.Find("#open-wall-link").GetAttribute("target"));
        Assert.Single(page.FindAll("#wall-links tbody tr"));
        await page.Find("#done-wall-link").ClickAsync(new());
        Assert.DoesNotContain(token, page.Markup);

        // The click's handler waits for the confirmation: answer it before awaiting the click.
        var revoking = page.Find(".revoke-wall-link").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("cannot be undone", dialogs.Markup));
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Revoke link")).ClickAsync(new());
        await revoking;

        page.WaitForAssertion(() => Assert.Contains("Revoked", page.Find(".wall-link-state").TextContent));
        Assert.Contains("admin@example.test", page.Find(".wall-link-state").TextContent);
        Assert.Empty(page.FindAll(".revoke-wall-link"));
        Assert.Null(await _store.Queries.WallAsync(token));
    }

    [Fact]
    public async Task Cancelling_the_confirmation_revokes_nothing()
    {
        await _store.Actions.IssueAsync(_admin, ActionRequest.On(_kiosks.Id, new CreateWallDisplayLink(null)));
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(_admin);
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".revoke-wall-link")));

        var revoking = page.Find(".revoke-wall-link").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("cannot be undone", dialogs.Markup));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());
        await revoking;

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("cannot be undone", dialogs.Markup));
        await using var db = _store.Db();
        Assert.Null((await db.WallDisplayLinks.SingleAsync()).RevokedAt);
        Assert.Empty(await db.ActionRuns.Where(r => r.Action == "Revoke wall display link").ToListAsync());
    }
}
