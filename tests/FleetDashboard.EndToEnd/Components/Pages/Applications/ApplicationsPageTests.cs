using FleetDashboard.Web.Actions;
using System.Text.RegularExpressions;
using FleetDashboard.Core.Devices;
using FleetDashboard.EndToEnd.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Pages.Applications;

[Collection(BrowserCollection.Name)]
public sealed class ApplicationsPageTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    private static readonly string[] AcmeApplications = ["kiosk-fleet", "lab-rigs", "old-signage", "sensor-net", "starter-demo"];

    public static TheoryData<string, string[], string[]> People => new()
    {
        { "admin", [.. AcmeApplications, "gateways", "globex-trial"], [] },
        { "developer", AcmeApplications, [] },
        { "operator", AcmeApplications, [] },
        { "observer", AcmeApplications, [] },
        { "support", ["kiosk-fleet"], ["sensor-01"] },
    };

    [Theory]
    [MemberData(nameof(People))]
    public async Task Each_demo_user_sees_exactly_the_applications_they_may_see(string person, string[] applications, string[] supportDevices)
    {
        var page = await OpenPageAsync();
        var errors = CollectErrors(page);

        await page.SignInAsync(person);

        await Expect(page.Locator("#signed-in-user")).ToContainTextAsync(char.ToUpperInvariant(person[0]) + person[1..]);
        await Expect(page.Locator("[data-organization] td[data-label='Application']")).ToHaveTextAsync(applications);
        var supportSection = page.Locator("#support-devices");
        if (supportDevices.Length == 0)
        {
            await Expect(supportSection).ToHaveCountAsync(0);
        }
        else
        {
            await Expect(supportSection).ToContainTextAsync("Devices opened to support");
            await Expect(supportSection.Locator("td[data-label='Device']")).ToHaveTextAsync(supportDevices);
        }
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        // Admin's (both organizations) and support's (a section of its own) at both sizes; the three Acme members see one list.
        if (person is "admin" or "support") await Screenshots.TakeBothAsync(page, $"applications-{person}", "signed-in");
        else await Screenshots.TakeAsync(page, $"applications-{person}", "signed-in");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_device_counts_agree_with_the_live_demo_fleet()
    {
        await Server.WaitForDemoFleetAsync(TimeSpan.FromSeconds(30));
        var kiosk = await Server.QueryAsync(async db =>
        {
            var application = await db.Applications.SingleAsync(a => a.Name == "kiosk-fleet");
            return await db.Devices.AsNoTracking().Where(d => d.ApplicationId == application.Id).ToListAsync();
        });
        var now = DateTimeOffset.UtcNow;
        var connected = kiosk.Count(d => d.ConnectedAt is not null);
        Assert.True(connected > 0, "the demo fleet connects some kiosk-fleet devices");

        var page = await OpenPageAsync();
        await page.SignInAsync("operator");

        var row = page.Locator("[data-organization='Acme'] tbody tr")
            .Filter(new() { Has = page.Locator("td[data-label='Application']", new() { HasTextRegex = new Regex("^kiosk-fleet$") }) });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td[data-label='Devices']")).ToHaveTextAsync(kiosk.Count.ToString());
        await Expect(Count(row, DeviceStatus.Online)).ToHaveTextAsync(new Regex(@"^[1-9]\d*$"));

        // The simulation may move a device between Online, Updating and Configuring; that it is reachable does not change.
        var reachable = 0;
        foreach (var status in new[] { DeviceStatus.Online, DeviceStatus.Updating, DeviceStatus.Configuring })
            if (await Count(row, status).CountAsync() == 1) reachable += int.Parse(await Count(row, status).InnerTextAsync());
        Assert.Equal(connected, reachable);
        foreach (var status in new[] { DeviceStatus.Offline, DeviceStatus.Inactive, DeviceStatus.PostProvisioning })
        {
            var expected = kiosk.Count(d => d.StatusAt(now) == status);
            if (expected == 0) await Expect(Count(row, status)).ToHaveCountAsync(0);
            else await Expect(Count(row, status)).ToHaveTextAsync(expected.ToString());
        }

        await Screenshots.TakeAsync(page, "applications-live-fleet", "counts");
    }

    [Fact]
    public async Task The_Offline_count_turns_without_a_reload_when_a_device_shuts_down()
    {
        await Server.WaitForDemoFleetAsync(TimeSpan.FromSeconds(30));
        var page = await OpenPageAsync();
        await page.SignInAsync("operator");
        var row = page.Locator("[data-organization='Acme'] tbody tr")
            .Filter(new() { Has = page.Locator("td[data-label='Application']", new() { HasTextRegex = new Regex("^sensor-net$") }) });
        await Expect(row).ToHaveCountAsync(1);
        var offline = Count(row, DeviceStatus.Offline);
        var before = await offline.CountAsync() == 1 ? int.Parse(await offline.InnerTextAsync()) : 0;

        var (operatorId, sensorNet, device, uuid) = await Server.QueryAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == "operator@acme.test");
            var application = await db.Applications.SingleAsync(a => a.Name == "sensor-net");
            var connected = await db.Devices.FirstAsync(d => d.ApplicationId == application.Id && d.ConnectedAt != null);
            return (user.Id, application.Id, connected.Id, connected.Uuid);
        });
        var actor = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, operatorId)], "test"));
        var run = await Server.Services.GetRequiredService<FleetDashboard.Web.Actions.ActionService>()
            .ConfirmedRunAsync(actor, new(new FleetDashboard.Core.Actions.ShutdownDevice(), FleetDashboard.Web.Actions.DeviceTargets.Device(sensorNet, device)));
        Assert.Null(run.Refusal);

        try
        {
            // No reload: the page hears of it through the live feed.
            await Expect(offline).ToHaveTextAsync((before + 1).ToString(), new() { Timeout = 5000 });
            await Screenshots.TakeAsync(page, "applications-live-fleet", "device-shut-down");
        }
        finally
        {
            // The demo fleet is shared by the class: power the device on again and wait for it.
            Server.Services.GetRequiredService<FleetDashboard.Web.Devices.DemoFleet>().Fleet!.PowerOn(uuid);
            await Server.WaitForDemoFleetAsync(TimeSpan.FromSeconds(60));
        }
        // And back, still without a reload, once it is powered on again.
        if (before == 0) await Expect(offline).ToHaveCountAsync(0);
        else await Expect(offline).ToHaveTextAsync(before.ToString());
    }

    [Fact]
    public async Task Support_staff_open_their_granted_device_and_its_application_is_no_link_there()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync("support");

        await page.Locator("#support-devices a", new() { HasText = "sensor-01" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/devices/\d+$"));
        await Expect(page.Locator("#device-name")).ToHaveTextAsync("sensor-01");
        await Expect(page.Locator("#device-application")).ToHaveTextAsync("sensor-net");
        Assert.Null(await page.Locator("#device-application").GetAttributeAsync("href"));
        await Screenshots.TakeAsync(page, "device-support", "granted-device");
    }

    [Fact]
    public async Task A_long_application_name_ends_in_an_ellipsis_and_the_page_fits_a_laptop()
    {
        var longName = "lab-rigs-" + string.Concat(Enumerable.Repeat("with-a-very-long-name-", 4)).TrimEnd('-');
        await RenameAsync("lab-rigs", longName);
        try
        {
            var page = await OpenPageAsync();
            await page.SignInAsync("operator");

            var link = page.Locator(".fleet-app-link", new() { HasText = "lab-rigs-" });
            await Expect(link).ToHaveAttributeAsync("title", longName);
            await Screenshots.TakeAsync(page, "applications-long-name", "ellipsis");
            var right = await link.EvaluateAsync<double>("e => e.getBoundingClientRect().right");
            Assert.True(right <= Screenshots.Laptop.Width, $"the name ends at {right}px");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
                "/applications scrolls sideways at 1280x800");
            var table = page.Locator("[data-organization='Acme'] .mud-table-container");
            var widths = await table.EvaluateAsync<int[]>("e => [e.scrollWidth, e.clientWidth]");
            Assert.True(widths[0] <= widths[1], $"Acme's applications are {widths[0]}px wide in {widths[1]}px: they scroll sideways");
        }
        finally
        {
            // The class shares its server: the other tests expect the demo's names.
            await RenameAsync(longName, "lab-rigs");
        }
    }

    private Task RenameAsync(string from, string to) => Server.QueryAsync(db =>
        db.Applications.Where(a => a.Name == from).ExecuteUpdateAsync(s => s.SetProperty(a => a.Name, to)));

    private static ILocator Count(ILocator row, DeviceStatus status) =>
        row.Locator($".fleet-status-{status.Label().ToLowerInvariant()} .fleet-status-count-number");

    private static List<string> CollectErrors(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") errors.Add(message.Text);
        };
        return errors;
    }
}
