using FleetDashboard.Web.Actions;
using System.Security.Claims;
using System.Text.RegularExpressions;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.EndToEnd.Infrastructure;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Pages.Wall;

[Collection(BrowserCollection.Name)]
public sealed partial class WallScreenTests(BrowserFixture browser, DemoServer server, ITestOutputHelper output)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    /// <summary>Anything a person could click, type in or follow: a wall offers none.</summary>
    public const string Anything = "button, a[href], input, select, textarea, [role=button], [contenteditable=true]";

    [Fact]
    public async Task An_administrator_creates_a_link_and_opens_the_wall_with_it()
    {
        var (kioskId, devices) = await ApplicationAsync(Server, "kiosk-fleet");
        var page = await OpenPageAsync();
        await page.SignInAsync("admin");
        await page.GotoAsync($"applications/{kioskId}/wall");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#tab-wall")).ToHaveClassAsync(new Regex("active"));

        await page.Locator("#create-wall-link").ClickAsync();
        var url = page.Locator("#wall-link-url");
        await Expect(url).ToHaveTextAsync(new Regex($"^{Regex.Escape(Server.BaseAddress.ToString())}wall/[A-Za-z0-9_-]{{43}}$"));
        var link = await url.InnerTextAsync();
        await Expect(page.Locator("#wall-links tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#wall-links tbody tr").First).ToContainTextAsync("admin@acme.test");
        await Screenshots.TakeBothAsync(page, "wall-links", "created");

        // "Open" opens the wall in a tab of its own.
        var opened = await page.Context.RunAndWaitForPageAsync(() => page.Locator("#open-wall-link").ClickAsync());
        await Expect(opened).ToHaveURLAsync(link);
        await Expect(opened.Locator("#wall-application")).ToHaveTextAsync("kiosk-fleet");
        await opened.CloseAsync();

        // Shown once: gone when dismissed, and not there when the page is loaded again.
        await page.Locator("#done-wall-link").ClickAsync();
        await Expect(url).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#wall-links tbody tr")).ToHaveCountAsync(1);
        Assert.DoesNotContain(link[^43..], await page.ContentAsync());

        // Anyone with the link watches, without signing in; and can do nothing there.
        var wall = await OpenPageAsync();
        await wall.GotoAsync(link);
        await wall.WaitForCircuitAsync();
        await Expect(wall.Locator("#wall-application")).ToHaveTextAsync("kiosk-fleet");
        await Expect(wall.Locator(".wall-cell")).ToHaveCountAsync(devices);
        // Each cell named on hover, and written in while the fleet is small, in name order.
        var names = await Server.QueryAsync(db => db.Devices.Where(d => d.ApplicationId == kioskId).Select(d => d.Name).ToListAsync());
        var cells = await wall.Locator(".wall-cell").EvaluateAllAsync<string[][]>("cells => cells.map(c => [c.title, c.textContent])");
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), cells.Select(c => c[0]));
        Assert.All(cells, c => Assert.Equal(c[0], c[1]));
        var tiles = await wall.Locator(".wall-tile").EvaluateAllAsync<int[]>("tiles => tiles.map(t => +t.dataset.count)");
        Assert.Equal(devices, tiles.Sum());
        await Expect(wall.Locator(Anything)).ToHaveCountAsync(0);
        await Expect(wall.Locator("header, nav, .mud-appbar, .mud-drawer")).ToHaveCountAsync(1); // the wall's own header only
        await Screenshots.TakeBothAsync(wall, "wall-screen", "kiosk-fleet");
    }

    [Fact]
    public async Task The_wall_turns_a_tile_when_a_simulated_device_goes_offline()
    {
        await Server.WaitForDemoFleetAsync(TimeSpan.FromSeconds(30));
        var (sensorNet, _) = await ApplicationAsync(Server, "sensor-net");
        var admin = await AdminAsync(Server);
        var (_, token) = await Server.Services.GetRequiredService<ActionService>().IssueAsync(admin, ActionRequest.On(sensorNet, new CreateWallDisplayLink(null)));
        var (device, uuid, name) = await Server.QueryAsync(async db =>
        {
            var connected = await db.Devices.OrderBy(d => d.Name).FirstAsync(d => d.ApplicationId == sensorNet && d.ConnectedAt != null);
            return (connected.Id, connected.Uuid, connected.Name);
        });

        var wall = await OpenPageAsync();
        await wall.SetViewportSizeAsync(Screenshots.Desktop.Width, Screenshots.Desktop.Height);
        await wall.GotoAsync($"wall/{token}");
        await wall.WaitForCircuitAsync();
        var offline = wall.Locator("#wall-tile-offline");
        var before = int.Parse((await offline.GetAttributeAsync("data-count"))!);
        var cell = wall.Locator($".wall-cell[data-device='{device}']");
        await Expect(cell).Not.ToHaveClassAsync(new Regex("fleet-status-offline"));

        var run = await Server.Services.GetRequiredService<ActionService>()
            .ConfirmedRunAsync(admin, new(new ShutdownDevice(), DeviceTargets.Device(sensorNet, device)));
        Assert.Null(run.Refusal);
        try
        {
            // No reload: the wall hears of it through the live feed.
            await Expect(offline).ToHaveAttributeAsync("data-count", (before + 1).ToString(), new() { Timeout = 5000 });
            await Expect(offline.Locator(".wall-tile-count")).ToHaveTextAsync((before + 1).ToString());
            await Expect(cell).ToHaveClassAsync(new Regex("fleet-status-offline"));
            await Expect(wall.Locator(".wall-change").First).ToContainTextAsync($"{name} went offline");
            await Screenshots.TakeBothAsync(wall, "wall-screen", "device-went-offline");
        }
        finally
        {
            Server.Services.GetRequiredService<DemoFleet>().Fleet!.PowerOn(uuid);
            await Server.WaitForDemoFleetAsync(TimeSpan.FromSeconds(60));
        }
        await Expect(offline).ToHaveAttributeAsync("data-count", before.ToString());
        await Expect(wall.Locator(".wall-change").First).ToContainTextAsync($"{name} came online");
    }

    [Fact]
    public async Task A_revoked_link_stops_the_open_wall_and_shows_only_that_it_was_revoked()
    {
        var (kioskId, _) = await ApplicationAsync(Server, "kiosk-fleet");
        var admin = await AdminAsync(Server);
        var (created, token) = await Server.Services.GetRequiredService<ActionService>().IssueAsync(admin, ActionRequest.On(kioskId, new CreateWallDisplayLink(null)));
        Assert.Null(created.Refusal);
        var wall = await OpenPageAsync();
        await wall.GotoAsync($"wall/{token}");
        await wall.WaitForCircuitAsync();
        await Expect(wall.Locator("#wall-application")).ToHaveTextAsync("kiosk-fleet");

        var page = await OpenPageAsync();
        await page.SignInAsync("admin");
        await page.GotoAsync($"applications/{kioskId}/wall");
        await page.WaitForCircuitAsync();
        var linkId = await Server.QueryAsync(db => db.WallDisplayLinks.Where(l => l.ApplicationId == kioskId).MaxAsync(l => l.Id));
        var row = page.Locator($"#wall-links tr[data-link='{linkId}']");
        await row.Locator(".revoke-wall-link").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("cannot be undone");
        await Screenshots.TakeAsync(page, "wall-links", "revoke-confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke link" }).ClickAsync();
        await Expect(row.Locator(".wall-link-state")).ToContainTextAsync("Revoked");
        await Expect(row.Locator(".wall-link-state")).ToContainTextAsync("admin@acme.test");
        await Expect(row.Locator(".revoke-wall-link")).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "wall-links", "revoked");

        // The open wall stops at its next check, without a reload.
        await Expect(wall.Locator("#wall-revoked")).ToHaveTextAsync("This wall link was revoked or does not exist.",
            new() { Timeout = 15_000 });
        await Expect(wall.Locator("#wall-screen")).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(wall, "wall-screen", "revoked");

        // Opened afresh, and an unknown token: the same sentence and nothing else.
        foreach (var path in new[] { $"wall/{token}", "wall/not-a-token-anyone-was-given" })
        {
            await wall.GotoAsync(path);
            await Expect(wall.Locator("#wall-revoked")).ToBeVisibleAsync();
            Assert.Equal("This wall link was revoked or does not exist.", (await wall.Locator(".wall-layout").InnerTextAsync()).Trim());
        }
    }

    [Fact]
    public async Task A_wall_of_ten_thousand_devices_opens_and_turns_one_cell_live()
    {
        const int count = 10_000;
        var now = DateTimeOffset.UtcNow;
        var (applicationId, watched) = await Server.QueryAsync(async db =>
        {
            var acme = await db.Organizations.SingleAsync(o => o.Name == "Acme");
            var application = new Application
            {
                OrganizationId = acme.Id, Name = "big-fleet", Type = ApplicationType.Microservices, DefaultDeviceType = "raspberrypi4-64", CreatedAt = now,
            };
            db.Applications.Add(application);
            await db.SaveChangesAsync();
            // Online by a fresh heartbeat for the next hour: no agent needed for each of them.
            db.Devices.AddRange(Enumerable.Range(1, count).Select(i => new Device
            {
                Uuid = Device.NewUuid(), Name = $"sign-{i:D5}", DeviceType = "raspberrypi4-64", ApplicationId = application.Id,
                HostOsVersion = new FleetVersion(2, 14, 0), AgentVersion = new FleetVersion(2, 0, 1), ProvisionedAt = now.AddDays(-9),
                FirstConnectedAt = now.AddDays(-9), LastContactAt = now, PollInterval = TimeSpan.FromHours(1),
            }));
            await db.SaveChangesAsync();
            return (application.Id, await db.Devices.Where(d => d.ApplicationId == application.Id && d.Name == "sign-05000").Select(d => d.Id).SingleAsync());
        });
        var (_, token) = await Server.Services.GetRequiredService<ActionService>().IssueAsync(await AdminAsync(Server), ActionRequest.On(applicationId, new CreateWallDisplayLink(null)));

        var wall = await OpenPageAsync();
        await wall.SetViewportSizeAsync(Screenshots.Desktop.Width, Screenshots.Desktop.Height);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await wall.GotoAsync($"wall/{token}");
        var loaded = watch.Elapsed;
        await wall.WaitForCircuitAsync();
        var live = watch.Elapsed;
        await Expect(wall.Locator(".wall-cell")).ToHaveCountAsync(count, new() { Timeout = 60_000 });
        var opened = watch.Elapsed;
        await Expect(wall.Locator("#wall-tile-online")).ToHaveAttributeAsync("data-count", count.ToString());

        watch.Restart();
        await Server.Services.GetRequiredService<FleetQueries>().WallAsync(token!);
        var query = watch.Elapsed;

        await Server.QueryAsync(db => db.Devices.Where(d => d.Id == watched)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.DisconnectedAt, DateTimeOffset.UtcNow)));
        // The browser notes when the cell turns, so the figure is not Playwright's polling interval.
        var published = await wall.EvaluateAsync<double>(@"id => {
            const cell = document.querySelector(`.wall-cell[data-device='${id}']`);
            new MutationObserver(() => { if (cell.className.includes('offline')) window.wallTurnedAt ??= performance.now(); })
                .observe(cell, { attributes: true });
            return performance.now(); }", watched);
        Server.Services.GetRequiredService<DeviceFeed>().Publish(new DeviceEvent(watched, applicationId, DateTimeOffset.UtcNow) { Status = DeviceStatus.Offline });
        await Expect(wall.Locator($".wall-cell[data-device='{watched}']")).ToHaveClassAsync(new Regex("fleet-status-offline"));
        var turned = await wall.EvaluateAsync<double>("() => window.wallTurnedAt") - published;
        await Expect(wall.Locator("#wall-tile-offline")).ToHaveAttributeAsync("data-count", "1");
        output.WriteLine($"{count:N0} devices: the wall page (not prerendered) loaded in {loaded.TotalSeconds:0.0} s, its circuit was live at " +
                         $"{live.TotalSeconds:0.0} s and every cell interactive at {opened.TotalSeconds:0.0} s " +
                         $"(its full load in the store: {query.TotalMilliseconds:0} ms); one device turned offline on screen " +
                         $"{turned:0} ms after the event (the feed gathers events for {DeviceFeed.Window.TotalMilliseconds:0} ms first).");
        await Screenshots.TakeBothAsync(wall, "wall-screen", "ten-thousand-devices");
    }

    internal static async Task<(int Id, int Devices)> ApplicationAsync(FleetServer server, string name) =>
        await server.QueryAsync(async db =>
        {
            var application = await db.Applications.SingleAsync(a => a.Name == name);
            return (application.Id, await db.Devices.CountAsync(d => d.ApplicationId == application.Id));
        });

    private static async Task<ClaimsPrincipal> AdminAsync(FleetServer server)
    {
        var id = await server.QueryAsync(db => db.Users.Where(u => u.Email == "admin@acme.test").Select(u => u.Id).SingleAsync());
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id)], "test"));
    }
}
