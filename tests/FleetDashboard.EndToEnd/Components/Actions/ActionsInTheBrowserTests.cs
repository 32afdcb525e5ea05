using System.Text.RegularExpressions;
using FleetDashboard.EndToEnd.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Actions;

/// <summary>Actions from the browser against the real server and its live demo fleet.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ActionsInTheBrowserTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    private async Task<IPage> OpenApplicationAsync(string person, string application)
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(person);
        await page.Locator("a.fleet-app-link", new() { HasTextRegex = new Regex($"^{application}$") }).ClickAsync();
        await Expect(page.Locator("#application-name")).ToHaveTextAsync(application);
        await Expect(page.Locator(".fleet-device-link").First).ToBeVisibleAsync();
        return page;
    }

    private static async Task CheckDeviceAsync(IPage page, string name)
    {
        var row = page.Locator(".fleet-device-table tbody tr").Filter(new() { Has = page.Locator(".fleet-device-link", new() { HasTextRegex = new Regex($"^{name}$") }) });
        await row.Locator(".fleet-check-device input").CheckAsync();
        // The circuit answers the click: the menu is enabled once the selection is counted.
        await Expect(page.Locator("#group-actions")).ToContainTextAsync("Group actions (1)");
    }

    private static async Task ChooseGroupActionAsync(IPage page, string action)
    {
        await page.Locator("#group-actions").ClickAsync();
        await page.Locator($".mud-popover-open .mud-menu-item[data-action='{action}']").ClickAsync();
        await Expect(page.Locator(".fleet-action-dialog")).ToBeVisibleAsync();
    }

    private static async Task SelectOptionAsync(IPage page, string select, string item)
    {
        // MudSelect puts the id on a hidden input; the visible control is its .mud-select.
        await page.Locator(".fleet-action-dialog .mud-select").Filter(new() { Has = page.Locator(select) }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = item }).ClickAsync();
    }

    [Fact]
    public async Task An_observer_is_offered_no_action_anywhere()
    {
        var page = await OpenApplicationAsync("observer", "kiosk-fleet");

        await Expect(page.Locator("#actions")).ToHaveCountAsync(0);
        await Expect(page.Locator("#group-actions")).ToHaveCountAsync(0);
        await page.Locator(".fleet-device-link").First.ClickAsync();
        await Expect(page.Locator("#device-name")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-action]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#dangerous-actions")).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "device-observer", "no-actions");
    }

    [Fact]
    public async Task A_move_is_offered_only_within_an_architecture_and_done_there()
    {
        // lab-rigs runs Intel NUCs (amd64): no other application of Acme runs amd64, so none is offered
        // (the core refuses such a move anyway: ActionServiceTests, MoveDeviceTests).
        var page = await OpenApplicationAsync("operator", "lab-rigs");
        await CheckDeviceAsync(page, "lab-01");
        await ChooseGroupActionAsync(page, "Move to another application");
        await Expect(page.Locator("#plan-refusal")).ToContainTextAsync("no other application of a compatible architecture");
        await Expect(page.Locator("#action-confirm")).ToBeDisabledAsync();
        await Screenshots.TakeAsync(page, "move", "refused-across-architectures");
        await page.Locator("#action-cancel").ClickAsync();

        // sensor-net's Raspberry Pi 3s are armv7hf like old-signage's BeagleBones.
        await page.GotoAsync("applications");
        await page.WaitForCircuitAsync(); // a fresh load is prerendered: a click before the circuit is live is lost
        await page.Locator("a.fleet-app-link", new() { HasTextRegex = new Regex("^sensor-net$") }).ClickAsync();
        await Expect(page.Locator("#application-name")).ToHaveTextAsync("sensor-net");
        await CheckDeviceAsync(page, "sensor-02");
        await ChooseGroupActionAsync(page, "Move to another application");
        await SelectOptionAsync(page, "#option-target-application", "old-signage");
        await Expect(page.Locator("#plan-summary")).ToHaveTextAsync("1 will move to old-signage");
        await Expect(page.Locator("#action-warnings")).ToContainTextAsync("appear in old-signage at once");
        // Its host OS purges named volumes on a move: the name is typed, as for a purge.
        await Expect(page.Locator("#action-confirm")).ToBeDisabledAsync();
        await page.Locator("#typed-name").FillAsync("sensor-net");
        await Expect(page.Locator("#action-confirm")).ToBeEnabledAsync();
        await Screenshots.TakeAsync(page, "move", "within-an-architecture");
        await page.Locator("#action-confirm").ClickAsync();

        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("1 succeeded");
        var moved = await Server.QueryAsync(db => db.Devices.Where(d => d.Name == "sensor-02")
            .Select(d => db.Applications.Where(a => a.Id == d.ApplicationId).Select(a => a.Name).Single()).SingleAsync());
        Assert.Equal("old-signage", moved);
        // It left the list it was in, without a reload.
        await Expect(page.Locator(".fleet-device-link", new() { HasTextRegex = new Regex("^sensor-02$") })).ToHaveCountAsync(0);
    }
}
