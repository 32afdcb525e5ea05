using System.Text.RegularExpressions;
using FleetDashboard.Core.Devices;
using FleetDashboard.EndToEnd.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Actions;

/// <summary>A reboot of a filtered group, from the list to each device's outcome, against the live demo fleet.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GroupRebootTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    [Fact]
    public async Task Rebooting_a_filtered_group_shows_the_plan_then_every_device_s_outcome_offline_ones_not_notified()
    {
        await Server.WaitForDemoFleetAsync(TimeSpan.FromSeconds(60));
        var page = await OpenPageAsync();
        await page.SignInAsync("operator");
        await page.Locator("a.fleet-app-link", new() { HasTextRegex = new Regex("^kiosk-fleet$") }).ClickAsync();
        await Expect(page.Locator(".fleet-device-link").First).ToBeVisibleAsync();

        // kiosk-01 … kiosk-09: the seed leaves kiosk-03 and kiosk-07 offline; the demo fleet runs the rest.
        await page.Locator("#add-filter").ClickAsync();
        await page.Locator(".fleet-filter-value input").FillAsync("kiosk-0");
        await page.Locator("#filter-apply").ClickAsync();
        await Expect(page.Locator(".fleet-device-link")).ToHaveCountAsync(9);
        await page.Locator(".fleet-check-all input").CheckAsync();
        await Expect(page.Locator("#selection-count")).ToHaveTextAsync("all 9 listed devices selected");

        var group = await Server.QueryAsync(db => db.Devices.AsNoTracking()
            .Where(d => d.Name.StartsWith("kiosk-0") && db.Applications.Any(a => a.Id == d.ApplicationId && a.Name == "kiosk-fleet"))
            .ToListAsync());
        var now = DateTimeOffset.UtcNow;
        var offline = group.Where(d => !d.IsReachableAt(now)).Select(d => d.Name).Order().ToList();
        Assert.Contains("kiosk-03", offline);

        await page.Locator("#group-actions").ClickAsync();
        await page.Locator(".mud-popover-open .mud-menu-item[data-action='Reboot']").ClickAsync();
        await Expect(page.Locator("#action-target")).ToHaveTextAsync("on the 9 listed devices of kiosk-fleet");
        await Expect(page.Locator("#plan-summary")).ToContainTextAsync($"{offline.Count} offline will not be notified");
        await Screenshots.TakeAsync(page, "group-reboot", "plan");
        await page.Locator("#action-confirm").ClickAsync();

        // The run page: every device of the group gets its outcome, the offline ones "not notified: offline".
        await Expect(page).ToHaveURLAsync(new Regex(@"/runs/\d+$"));
        await Expect(page.Locator("#run-action")).ToHaveTextAsync("Reboot");
        await Expect(page.Locator("#run-device-count")).ToHaveTextAsync("9");
        await Expect(page.Locator("#run-counts [data-outcome='NotNotified']")).ToContainTextAsync(offline.Count.ToString());
        await Expect(page.Locator("#run-counts [data-outcome='Waiting']")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        await Expect(page.Locator("#run-counts [data-outcome='Succeeded']")).ToContainTextAsync(new Regex(@"[1-9]"));
        await Expect(page.Locator(".fleet-outcome-table tbody tr")).ToHaveCountAsync(9);
        foreach (var name in offline)
        {
            var row = page.Locator(".fleet-outcome-table tbody tr").Filter(new() { HasText = name });
            await Expect(row).ToContainTextAsync("offline");
        }
        await Screenshots.TakeAsync(page, "group-reboot", "outcomes");
    }
}
