using FleetDashboard.Web.Actions;
using Bunit;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Components.Pages.Wall;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Components.Pages.Wall;

/// <summary>The wall page over the real services and a migrated SQLite file, with no one signed in.</summary>
public sealed class WallPageTests : ComponentTest
{
    private readonly FleetStore _store = new();
    private readonly DeviceFeed _feed = new(TimeProvider.System);
    private Application _kiosks = null!;
    private Device _kiosk1 = null!;
    private Device _lobby = null!;
    private StoppableClock _clock = null!;
    private string _token = "";
    private BunitJSModuleInterop _grid = null!;

    protected override async Task ArrangeAsync()
    {
        await _store.InitializeAsync();
        var admin = await _store.UserAsync("admin");
        var acme = await _store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator)]);
        _kiosks = await _store.ApplicationAsync(acme, "kiosks");
        _kiosk1 = await _store.DeviceAsync(_kiosks, "kiosk-1");
        _lobby = await _store.DeviceAsync(_kiosks, "lobby");
        (_, _token) = await _store.Actions.IssueAsync(FleetStore.SignedIn(admin), ActionRequest.On(_kiosks.Id, new CreateWallDisplayLink(null))) is var (run, token)
            ? (run, token!) : default;

        _grid = JSInterop.SetupModule(WallDeviceGrid.Script);
        Services.AddSingleton(_store.Queries);
        Services.AddSingleton(_feed);
        _clock = new StoppableClock(_store.Clock);
        Services.AddSingleton<TimeProvider>(_clock);
    }

    protected override Task DisposeMoreAsync() => _store.DisposeAsync();

    private IRenderedComponent<WallPage> RenderWall(string token) => Render<WallPage>(ps => ps.Add(p => p.Token, token));

    [Fact]
    public void The_wall_shows_the_application_its_tiles_and_grid_and_offers_nothing()
    {
        var wall = RenderWall(_token);

        wall.WaitForAssertion(() => Assert.Equal("kiosks", wall.Find("#wall-application").TextContent));
        Assert.Equal("2", wall.Find("#wall-tile-online").GetAttribute("data-count"));
        wall.WaitForAssertion(() => Assert.Equal(["kiosk-1", "lobby"], ShownGrid.Cells(_grid).Select(c => c.Title)));
        Assert.Empty(wall.FindAll("button, a, input, select, textarea, [role=button]"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_revoked_or_unknown_link_shows_only_that(bool revoked)
    {
        var token = revoked ? _token : Secret.New();
        if (revoked)
        {
            await using var db = _store.Db();
            await db.WallDisplayLinks.ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, _store.Clock.Now));
        }

        var wall = RenderWall(token);

        wall.WaitForAssertion(() => Assert.Equal("This wall link was revoked or does not exist.", wall.Find("#wall-revoked").TextContent));
        Assert.Equal("This wall link was revoked or does not exist.", wall.Markup.Trim().Split('>', 2)[1].Split('<')[0]);
        Assert.Empty(wall.FindAll("#wall-screen"));
    }

    [Fact]
    public async Task A_device_going_offline_turns_its_tile_its_cell_and_the_feed()
    {
        var wall = RenderWall(_token);
        wall.WaitForAssertion(() => Assert.Equal(1, _feed.SubscriberCount));

        await GoOfflineAsync(_lobby);

        wall.WaitForAssertion(() => Assert.Equal("1", wall.Find("#wall-tile-offline").GetAttribute("data-count")));
        Assert.Equal("1", wall.Find("#wall-tile-online").GetAttribute("data-count"));
        wall.WaitForAssertion(() => Assert.Contains("fleet-status-offline", ShownGrid.Cell(_grid, _lobby.Id).Class));
        Assert.Contains("lobby went offline", wall.Find(".wall-change").TextContent.Replace("\n", " "));
    }

    [Fact]
    public async Task A_change_right_after_another_reaches_the_wall_without_a_pause()
    {
        // No timer of the page's clock fires here: a wall that paused on one after a batch would not hear of the second.
        _clock.TimersStopped = true;
        var wall = RenderWall(_token);
        wall.WaitForAssertion(() => Assert.Equal(1, _feed.SubscriberCount));

        await GoOfflineAsync(_lobby);
        wall.WaitForAssertion(() => Assert.Equal("1", wall.Find("#wall-tile-offline").GetAttribute("data-count")));
        await GoOfflineAsync(_kiosk1);

        wall.WaitForAssertion(() => Assert.Equal("2", wall.Find("#wall-tile-offline").GetAttribute("data-count")));
        Assert.Contains("fleet-status-offline", ShownGrid.Cell(_grid, _kiosk1.Id).Class);
    }

    [Fact]
    public async Task Revoking_the_link_stops_an_open_wall()
    {
        var wall = RenderWall(_token);
        wall.WaitForAssertion(() => Assert.Equal(1, _feed.SubscriberCount));

        await using (var db = _store.Db())
            await db.WallDisplayLinks.ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, _store.Clock.Now));

        wall.WaitForAssertion(() => Assert.NotNull(wall.Find("#wall-revoked")), WallPage.CheckEvery * 3);
        Assert.Empty(wall.FindAll("#wall-grid"));
        Assert.Equal(0, _feed.SubscriberCount);
    }

    private async Task GoOfflineAsync(Device device)
    {
        await using (var db = _store.Db())
            await db.Devices.Where(d => d.Id == device.Id).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.DisconnectedAt, _store.Clock.Now).SetProperty(d => d.LastContactAt, _store.Clock.Now.AddMinutes(-1)));
        _feed.Publish(new DeviceEvent(device.Id, _kiosks.Id, _store.Clock.Now) { Status = DeviceStatus.Offline });
    }

    /// <summary>The store's clock, whose timers a test may stop before anything is rendered.</summary>
    private sealed class StoppableClock(ManualClock clock) : TimeProvider
    {
        public bool TimersStopped { get; set; }

        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            TimersStopped ? new StoppedTimer() : base.CreateTimer(callback, state, dueTime, period);

        private sealed class StoppedTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
