using System.Text.RegularExpressions;
using FleetDashboard.Core.Devices;
using FleetDashboard.EndToEnd.Infrastructure;
using FleetDashboard.Web.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Pages.Applications;

/// <summary>The device list of kiosk-fleet (20 demo devices, kiosk-01 … kiosk-20): saved views, select-all, tag columns.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ApplicationSummaryPageTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    private async Task<(IPage Page, int ApplicationId)> OpenKioskFleetAsync(string person)
    {
        var applicationId = await Server.QueryAsync(db => db.Applications.Where(a => a.Name == "kiosk-fleet").Select(a => a.Id).SingleAsync());
        var page = await OpenPageAsync();
        await page.SignInAsync(person);
        await page.GotoAsync($"applications/{applicationId}");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator(".fleet-device-name")).ToHaveCountAsync(20);
        return (page, applicationId);
    }

    private static async Task AddNameFilterAsync(IPage page, string contains)
    {
        await page.Locator("#add-filter").ClickAsync();
        await page.Locator(".fleet-filter-value input").FillAsync(contains);
        await page.Locator("#filter-apply").ClickAsync();
        await Expect(page.Locator($".fleet-filter-chip[data-filter='name contains {contains}']")).ToBeVisibleAsync();
    }

    private static Task RemoveFilterAsync(IPage page, string filter) =>
        page.Locator($".fleet-filter-chip[data-filter='{filter}'] .mud-chip-close-button").ClickAsync();

    private static async Task NameViewAsync(IPage page, string name)
    {
        var input = page.Locator(".mud-dialog input");
        await input.FillAsync(name);
        await page.Locator("#view-name-submit").ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task At_1280x800_every_column_of_the_device_list_is_in_view_without_scrolling_sideways()
    {
        // A long tag on a device, as an operator may set: the column must not grow with it.
        await SetLongTagAsync(add: true);
        try
        {
            var (page, _) = await OpenKioskFleetAsync("operator");

            await Screenshots.TakeAsync(page, "device-list-columns", "laptop");
            var frame = page.Locator(".fleet-device-table .mud-table-container");
            var widths = await frame.EvaluateAsync<int[]>("e => [e.scrollWidth, e.clientWidth]");
            Assert.True(widths[0] <= widths[1], $"the device list is {widths[0]}px wide in {widths[1]}px: it scrolls sideways");
            foreach (var column in new[] { "IP address", "Public URL", "Tags" })
            {
                var right = await page.Locator(".fleet-device-table th", new() { HasText = column })
                    .EvaluateAsync<double>("e => e.getBoundingClientRect().right");
                Assert.True(right <= Screenshots.Laptop.Width, $"{column} ends at {right}px");
            }
        }
        finally
        {
            // The class shares its server: the other tests expect the demo's tags.
            await SetLongTagAsync(add: false);
        }
    }

    private Task SetLongTagAsync(bool add) => Server.QueryAsync(async db =>
    {
        var device = await db.Devices.Include(d => d.Tags).SingleAsync(d => d.Name == "kiosk-05");
        if (add) device.Tags.Add(new DeviceTag { Name = "location-of-the-screen", Value = "north-entrance-by-the-lifts" });
        else device.Tags.RemoveAll(t => t.Name == "location-of-the-screen");
        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Saved_view_round_trip()
    {
        var (page, applicationId) = await OpenKioskFleetAsync("operator");
        var rows = page.Locator(".fleet-device-name");

        // Filter and save.
        await AddNameFilterAsync(page, "kiosk-0");
        await Expect(rows).ToHaveCountAsync(9);
        await page.Locator("#saved-views").ClickAsync();
        await Expect(page.Locator("#no-saved-views")).ToBeVisibleAsync();
        await page.Locator("#save-view").ClickAsync();
        await NameViewAsync(page, "First nine");
        await Expect(page.Locator("#applied-view")).ToHaveTextAsync("First nine");
        await Expect(page.Locator("#view-modified")).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "application-summary-views", "saved");

        // Clear: the whole application, no view.
        await RemoveFilterAsync(page, "name contains kiosk-0");
        await Expect(rows).ToHaveCountAsync(20);
        await Expect(page.Locator("#applied-view")).ToHaveCountAsync(0);

        // Recall: the view's filters come back as chips; the top check box selects only the listed devices.
        await page.Locator("#saved-views").ClickAsync();
        await page.Locator(".fleet-saved-view[data-view='First nine']").ClickAsync();
        await Expect(page.Locator("#applied-view")).ToHaveTextAsync("First nine");
        await Expect(page.Locator(".fleet-filter-chip")).ToHaveCountAsync(1);
        await Expect(rows).ToHaveCountAsync(9);
        await page.Locator(".fleet-check-all input").ClickAsync();
        await Expect(page.Locator("#selection-count")).ToHaveTextAsync("all 9 listed devices selected");

        // Changing the filters shows the view as modified; changing them back does not.
        await AddNameFilterAsync(page, "kiosk-01");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Locator("#view-modified")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "application-summary-views", "modified");
        await RemoveFilterAsync(page, "name contains kiosk-01");
        await Expect(rows).ToHaveCountAsync(9);
        await Expect(page.Locator("#view-modified")).ToHaveCountAsync(0);

        // A link opens the list with the view applied.
        var viewId = await Server.QueryAsync(db => db.SavedViews.Where(v => v.ApplicationId == applicationId).Select(v => v.Id).SingleAsync());
        await page.GotoAsync($"applications/{applicationId}?view={viewId}");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#applied-view")).ToHaveTextAsync("First nine");
        await Expect(rows).ToHaveCountAsync(9);

        // Rename.
        await page.Locator("#saved-views").ClickAsync();
        await page.Locator("#rename-view").ClickAsync();
        await NameViewAsync(page, "Kiosks 01 to 09");
        await Expect(page.Locator("#applied-view")).ToHaveTextAsync("Kiosks 01 to 09");

        // Delete, after confirming.
        await page.Locator("#saved-views").ClickAsync();
        await page.Locator("#delete-view").ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("for every member of kiosk-fleet");
        await Screenshots.TakeAsync(page, "application-summary-views", "delete-confirmation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.Locator("#applied-view")).ToHaveCountAsync(0);
        await Expect(rows).ToHaveCountAsync(9);
        await page.Locator("#saved-views").ClickAsync();
        await Expect(page.Locator("#no-saved-views")).ToBeVisibleAsync();

        var runs = await Server.QueryAsync(db => db.ActionRuns.Where(r => r.ApplicationId == applicationId && r.ActorEmail == "operator@acme.test")
            .OrderBy(r => r.Id).Select(r => new { r.Action, r.Refusal }).ToListAsync());
        Assert.Equal(["Save view", "Rename view", "Delete view"], runs.Where(r => r.Action.EndsWith(" view")).Select(r => r.Action));
        Assert.All(runs, r => Assert.Null(r.Refusal));
        Assert.False(await Server.QueryAsync(db => db.SavedViews.AnyAsync(v => v.ApplicationId == applicationId)));
    }

    [Fact]
    public async Task Select_all_with_and_without_a_filter()
    {
        var (page, _) = await OpenKioskFleetAsync("operator");
        var count = page.Locator("#selection-count");
        var groupActions = page.Locator("#group-actions");

        await page.Locator(".fleet-check-all input").ClickAsync();
        await Expect(count).ToHaveTextAsync("all 20 devices of the application selected");
        await Expect(groupActions).ToHaveTextAsync(new Regex(@"Group actions\D*\b20\b"));
        await Screenshots.TakeAsync(page, "application-summary-select-all", "no-filter");

        // A filter is another list: the selection starts again, and the top check box then takes only what is listed.
        await AddNameFilterAsync(page, "kiosk-1");
        await Expect(page.Locator(".fleet-device-name")).ToHaveCountAsync(10);
        await Expect(count).ToHaveTextAsync("0 selected");
        await page.Locator(".fleet-check-all input").ClickAsync();
        await Expect(count).ToHaveTextAsync("all 10 listed devices selected");
        await Expect(groupActions).ToHaveTextAsync(new Regex(@"Group actions\D*\b10\b"));
        await page.Locator(".fleet-check-device input").First.ClickAsync();
        await Expect(count).ToHaveTextAsync("9 selected");
        await Screenshots.TakeAsync(page, "application-summary-select-all", "filtered");
    }

    [Fact]
    public async Task A_tag_column_is_added_sorted_and_remembered_and_the_page_fits_a_laptop()
    {
        var (page, _) = await OpenKioskFleetAsync("observer");

        await page.Locator("#columns-menu").ClickAsync();
        await page.Locator(".fleet-tag-column-choice[data-tag='site']").ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        var cells = page.Locator("td.fleet-tag-cell[data-tag='site']");
        await Expect(cells).ToHaveCountAsync(20);

        // Sorted by the tag's value, in the store.
        await page.Locator("th[data-tag='site'] .mud-table-sort-label").ClickAsync();
        await Expect(cells.First).ToHaveTextAsync("airport");
        var sites = (await cells.AllInnerTextsAsync()).Select(s => s.Trim()).ToList();
        Assert.Equal(sites.Order(StringComparer.Ordinal), sites);

        await Screenshots.TakeBothAsync(page, "application-summary", "tag-column");
        Assert.True(await FitsWidthAsync(page), "the page scrolls sideways at 1280 px");
        // The name column stays readable: not squeezed below its longest name.
        var nameWidth = await page.Locator(".fleet-device-name").First.EvaluateAsync<double>("e => e.getBoundingClientRect().width");
        Assert.True(nameWidth >= 60, $"the name column is {nameWidth} px wide");

        // Remembered for this application in this browser.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(cells).ToHaveCountAsync(20);
    }

    [Fact]
    public async Task A_device_change_updates_its_row_in_place()
    {
        var (page, applicationId) = await OpenKioskFleetAsync("observer");
        // A mark only this DOM node carries: a row Blazor rebuilt would not have it.
        const string rowOf = "name => [...document.querySelectorAll('a.fleet-device-link')].find(a => a.textContent === name).closest('tr')";
        await page.EvaluateAsync($"() => {{ const row = ({rowOf}); row('kiosk-05').__kept = true; row('kiosk-06').__kept = true; }}");

        var deviceId = await Server.QueryAsync(async db =>
        {
            var device = await db.Devices.Include(d => d.Tags).SingleAsync(d => d.Name == "kiosk-05");
            device.Tags.Add(new DeviceTag { Name = "moved", Value = "in place" });
            await db.SaveChangesAsync();
            return device.Id;
        });
        Server.Services.GetRequiredService<DeviceFeed>().Publish(new DeviceEvent(deviceId, applicationId, DateTimeOffset.UtcNow));

        await Expect(page.Locator("tr", new() { Has = page.Locator(".fleet-device-link", new() { HasTextString = "kiosk-05" }) }))
            .ToContainTextAsync("moved: in place");
        Assert.True(await page.EvaluateAsync<bool>($"() => ({rowOf})('kiosk-05').__kept === true"), "the changed row was rebuilt");
        Assert.True(await page.EvaluateAsync<bool>($"() => ({rowOf})('kiosk-06').__kept === true"), "an unchanged row was rebuilt");
    }

    /// <summary>No horizontal scroll on the page itself: a wide table scrolls inside its paper.</summary>
    private static Task<bool> FitsWidthAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth");
}
