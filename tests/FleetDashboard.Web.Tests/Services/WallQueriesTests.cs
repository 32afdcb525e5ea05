using FleetDashboard.Web.Actions;
using System.Security.Claims;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Services;

public sealed class WallQueriesTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    private Application _kiosks = null!;
    private ClaimsPrincipal _admin = null!;
    private ClaimsPrincipal _operator = null!;

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        (_kiosks, _admin, _operator) = await WallFleet.AcmeAsync(_store);
        await _store.DeviceAsync(_kiosks, "kiosk-2", d => d.SetTag("site", "north"));
        await _store.DeviceAsync(_kiosks, "kiosk-1", d => d.SetTag("site", "north"));
        await _store.DeviceAsync(_kiosks, "lobby", d =>
        {
            d.SetTag("site", "south");
            d.LastContactAt = _store.Clock.Now.AddHours(-3);
            d.DisconnectedAt = _store.Clock.Now.AddHours(-2);
        });
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    private async Task<string> LinkAsync(int? viewId = null)
    {
        var (run, token) = await _store.Actions.IssueAsync(_admin, ActionRequest.On(_kiosks.Id, new CreateWallDisplayLink(viewId)));
        Assert.Null(run.Refusal);
        return token!;
    }

    [Fact]
    public async Task A_valid_token_shows_the_application_its_devices_and_what_last_changed()
    {
        var token = await LinkAsync();

        var wall = await _store.Queries.WallAsync(token);

        Assert.NotNull(wall);
        Assert.Equal("kiosks", wall.ApplicationName);
        Assert.Null(wall.ViewName);
        Assert.Equal(["kiosk-1", "kiosk-2", "lobby"], wall.Devices.Select(d => d.Name));
        Assert.Equal([DeviceStatus.Online, DeviceStatus.Online, DeviceStatus.Offline], wall.Devices.Select(d => d.Status));
        var lobby = Assert.Single(wall.LatestChanges);
        Assert.Equal(("lobby", "went offline", _store.Clock.Now.AddHours(-2)), (lobby.DeviceName, lobby.What, lobby.At));
        Assert.True(await _store.Queries.WallLinkActiveAsync(token));
    }

    [Fact]
    public async Task A_revoked_token_shows_nothing()
    {
        var token = await LinkAsync();
        var linkId = await OnlyLinkIdAsync();

        var run = await _store.Actions.RunAsync(_admin, ActionRequest.On(_kiosks.Id, new RevokeWallDisplayLink(linkId)));

        Assert.Null(run.Refusal);
        Assert.Null(await _store.Queries.WallAsync(token));
        Assert.Null(await _store.Queries.WallRecheckAsync(token, [1, 2]));
        Assert.False(await _store.Queries.WallLinkActiveAsync(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token-anyone-was-given")]
    [InlineData(null)]
    public async Task An_unknown_token_shows_nothing(string? token)
    {
        await LinkAsync();
        token ??= new string('a', 10_000);

        Assert.Null(await _store.Queries.WallAsync(token));
        Assert.False(await _store.Queries.WallLinkActiveAsync(token));
        Assert.Null(await _store.Queries.WallAsync(Secret.New()));
    }

    [Fact]
    public async Task A_view_s_filters_narrow_what_the_wall_counts()
    {
        var save = await _store.Actions.RunAsync(_admin, ActionRequest.On(_kiosks.Id, new SaveView("North", [DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "north", "site")])));
        Assert.Null(save.Refusal);
        await using (var db = _store.Db())
        {
            var viewId = await db.SavedViews.Select(v => v.Id).SingleAsync();
            var token = await LinkAsync(viewId);

            var wall = await _store.Queries.WallAsync(token);

            Assert.Equal("North", wall!.ViewName);
            Assert.Equal(["kiosk-1", "kiosk-2"], wall.Devices.Select(d => d.Name));
            Assert.All(wall.Devices, d => Assert.Equal(DeviceStatus.Online, d.Status));

            // Asked again about every device, the view still answers only for its own.
            var ids = await db.Devices.Select(d => d.Id).ToListAsync();
            var recheck = await _store.Queries.WallRecheckAsync(token, ids);
            Assert.Equal(["kiosk-1", "kiosk-2"], recheck!.Devices.Select(d => d.Name).Order());
        }
    }

    [Fact]
    public async Task An_operator_cannot_delete_the_view_a_wall_shows_so_the_wall_never_widens_to_the_whole_application()
    {
        var viewId = await NorthViewAsync();
        var token = await LinkAsync(viewId);
        var linkId = await OnlyLinkIdAsync();

        var deleted = await _store.Actions.RunAsync(_operator, ActionRequest.On(_kiosks.Id, new DeleteView(viewId)));

        Assert.Equal($"The view North is shown by wall display link #{linkId} (made by admin@example.test): an administrator revokes that link first.",
            deleted.Refusal);
        Assert.Equal(["kiosk-1", "kiosk-2"], (await _store.Queries.WallAsync(token))!.Devices.Select(d => d.Name));

        // Once the administrator revokes the link, the view may go.
        Assert.Null((await _store.Actions.RunAsync(_admin, ActionRequest.On(_kiosks.Id, new RevokeWallDisplayLink(linkId)))).Refusal);
        Assert.Null((await _store.Actions.RunAsync(_operator, ActionRequest.On(_kiosks.Id, new DeleteView(viewId)))).Refusal);
        Assert.Null(await _store.Queries.WallAsync(token));
    }

    [Fact]
    public async Task A_link_whose_view_is_gone_however_it_went_shows_nothing_rather_than_everything()
    {
        var viewId = await NorthViewAsync();
        var token = await LinkAsync(viewId);
        await using (var db = _store.Db())
            await db.SavedViews.Where(v => v.Id == viewId).ExecuteDeleteAsync();

        Assert.Null(await _store.Queries.WallAsync(token));
        Assert.Null(await _store.Queries.WallRecheckAsync(token, [1, 2, 3]));
        Assert.False(await _store.Queries.WallLinkActiveAsync(token));
    }

    private async Task<int> NorthViewAsync()
    {
        var save = await _store.Actions.RunAsync(_operator,
            ActionRequest.On(_kiosks.Id, new SaveView("North", [DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "north", "site")])));
        Assert.Null(save.Refusal);
        await using var db = _store.Db();
        return await db.SavedViews.Select(v => v.Id).SingleAsync();
    }

    [Fact]
    public async Task An_operator_can_neither_create_nor_revoke_a_link_and_both_refusals_are_recorded()
    {
        await LinkAsync();
        var linkId = await OnlyLinkIdAsync();

        var (created, token) = await _store.Actions.IssueAsync(_operator, ActionRequest.On(_kiosks.Id, new CreateWallDisplayLink(null)));
        var revoked = await _store.Actions.RunAsync(_operator, ActionRequest.On(_kiosks.Id, new RevokeWallDisplayLink(linkId)));

        Assert.Null(token);
        Assert.Contains("Administrator", created.Refusal);
        Assert.Contains("Administrator", revoked.Refusal);
        await using var db = _store.Db();
        var link = await db.WallDisplayLinks.SingleAsync();
        Assert.Null(link.RevokedAt);
        var refused = await db.ActionRuns.Where(r => r.Refusal != null).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(["Create wall display link", "Revoke wall display link"], refused.Select(r => r.Action));
        Assert.All(refused, r => Assert.Equal("operator@example.test", r.ActorEmail));
        Assert.Null(await _store.Queries.WallLinksAsync(_operator, _kiosks.Id));
    }

    [Fact]
    public async Task The_links_list_says_what_each_shows_and_who_revoked_it()
    {
        await LinkAsync();
        var first = await OnlyLinkIdAsync();
        _store.Clock.Now = _store.Clock.Now.AddMinutes(5);
        await LinkAsync();
        _store.Clock.Now = _store.Clock.Now.AddMinutes(5);
        await _store.Actions.RunAsync(_admin, ActionRequest.On(_kiosks.Id, new RevokeWallDisplayLink(first)));

        var links = await _store.Queries.WallLinksAsync(_admin, _kiosks.Id);

        Assert.NotNull(links);
        Assert.Equal(2, links.Links.Count);
        Assert.True(links.Links[0].IsActive);
        var revoked = links.Links[1];
        Assert.Equal((first, "admin@example.test", _store.Clock.Now), (revoked.Id, revoked.RevokedBy, revoked.RevokedAt));
        Assert.Null(revoked.RevokedThrough);
        Assert.All(links.Links, l => Assert.Equal("admin@example.test", l.CreatedBy));
    }

    private async Task<int> OnlyLinkIdAsync()
    {
        await using var db = _store.Db();
        return await db.WallDisplayLinks.Select(l => l.Id).SingleAsync();
    }
}
