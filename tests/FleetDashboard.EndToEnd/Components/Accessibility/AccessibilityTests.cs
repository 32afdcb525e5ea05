using FleetDashboard.Web.Actions;
using System.Security.Claims;
using System.Text.RegularExpressions;
using FleetDashboard.Core.Actions;
using FleetDashboard.EndToEnd.Infrastructure;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Accessibility;

/// <summary>
/// axe-core over every page and every kind of open action dialog, as the demo's people see them. Each test gathers
/// the violations of all its pages before it fails, so that one run lists everything (rule, target, summary).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    private readonly List<string> _violations = [];

    /// <summary>Runs axe on the page as it stands and keeps a screenshot of what it checked.</summary>
    private async Task CheckAsync(IPage page, string where)
    {
        _violations.AddRange(await Axe.ViolationsAsync(page, where));
        await Screenshots.TakeAsync(page, "accessibility", Regex.Replace(where.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-'));
    }

    private async Task VisitAsync(IPage page, string path, string ready)
    {
        await page.GotoAsync(path);
        await page.WaitForCircuitAsync();
        await Expect(page.Locator(ready).First).ToBeVisibleAsync();
        await CheckAsync(page, path);
    }

    [Fact]
    public async Task The_sign_in_lockout_and_account_pages_have_no_serious_violation()
    {
        var page = await OpenPageAsync();
        await page.GotoAsync("Account/Login");
        await CheckAsync(page, "sign-in");
        await page.SubmitSignInAsync(DemoUsers.Email("observer"), "not-the-password");
        await Expect(page.Locator(".account-alert.error")).ToBeVisibleAsync();
        await CheckAsync(page, "sign-in with an error");

        for (var attempt = 1; attempt <= 5; attempt++)
            await page.SubmitSignInAsync(DemoUsers.Email("support"), $"wrong-{attempt}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Account locked");
        await CheckAsync(page, "lockout");

        await page.SignInAsync("admin");
        await page.GotoAsync("Account/Manage");
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        await CheckAsync(page, "account");
        await page.GotoAsync("Account/Manage/ChangePassword");
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        await CheckAsync(page, "change password");

        Axe.AssertNone(_violations);
    }

    [Fact]
    public async Task Every_page_of_the_dashboard_has_no_serious_violation()
    {
        var (kiosk, device) = await KioskAsync();
        var run = await RunAsync(kiosk, device);
        var page = await OpenPageAsync();
        await page.SignInAsync("admin");

        await CheckAsync(page, "applications");
        await VisitAsync(page, $"applications/{kiosk}", ".fleet-device-link");
        await VisitAsync(page, $"devices/{device}", "#device-name");
        await VisitAsync(page, $"runs/{run}", ".fleet-outcome-device");
        await VisitAsync(page, $"applications/{kiosk}/history", ".fleet-history-run");
        await VisitAsync(page, $"applications/{kiosk}/members", "h5, h6");
        await VisitAsync(page, $"applications/{kiosk}/wall", "#create-wall-link");
        await page.Locator("#create-wall-link").ClickAsync();
        await Expect(page.Locator("#wall-link-url")).ToBeVisibleAsync();
        await CheckAsync(page, "wall links with a new link");
        await VisitAsync(page, $"applications/{kiosk}/transfer", "[data-target]");
        await VisitAsync(page, "organizations", "[data-organization]");
        await VisitAsync(page, "account/access-tokens", "#create-token");
        await page.Locator("#token-name").FillAsync("accessibility check");
        await page.Locator("#create-token").ClickAsync();
        await Expect(page.Locator("#new-token-secret")).ToBeVisibleAsync();
        await CheckAsync(page, "access tokens with a new token");

        Axe.AssertNone(_violations);
    }

    [Fact]
    public async Task The_wall_screen_has_no_serious_violation_and_cuts_a_long_name_with_an_ellipsis()
    {
        const string longName = "sensor-in-the-north-stairwell-behind-the-fire-door-on-level-three";
        var sensorNet = await Server.QueryAsync(async db =>
        {
            var application = await db.Applications.SingleAsync(a => a.Name == "sensor-net");
            var device = await db.Devices.Where(d => d.ApplicationId == application.Id).OrderBy(d => d.Name).FirstAsync();
            device.Name = longName;
            await db.SaveChangesAsync();
            return application.Id;
        });
        var (_, token) = await Server.Services.GetRequiredService<ActionService>().IssueAsync(await PersonAsync("admin"), ActionRequest.On(sensorNet, new CreateWallDisplayLink(null)));
        var wall = await OpenPageAsync();
        await wall.SetViewportSizeAsync(Screenshots.Desktop.Width, Screenshots.Desktop.Height);
        await wall.GotoAsync($"wall/{token}");
        await wall.WaitForCircuitAsync();
        var cell = wall.Locator($".wall-cell[title='{longName}']");
        await Expect(cell).ToHaveTextAsync(longName);
        await CheckAsync(wall, "wall screen");
        await Screenshots.TakeBothAsync(wall, "wall-screen", "long-name");

        // Cut short where the card ends, with an ellipsis; the whole name is the card's title.
        var name = cell.Locator(".wall-cell-name");
        Assert.Equal("ellipsis", await name.EvaluateAsync<string>("n => getComputedStyle(n).textOverflow"));
        Assert.True(await name.EvaluateAsync<bool>("n => n.scrollWidth > n.clientWidth"), "the long name is not cut at all");
        Assert.True(await cell.EvaluateAsync<bool>("c => c.querySelector('.wall-cell-name').getBoundingClientRect().right <= c.getBoundingClientRect().right"),
            "the name runs past its card");

        Axe.AssertNone(_violations);
    }

    [Fact]
    public async Task Every_kind_of_action_dialog_and_menu_has_no_serious_violation()
    {
        var (kiosk, device) = await KioskAsync();
        var page = await OpenPageAsync();
        await page.SignInAsync("admin");

        // A device action, from the device's own Actions menu.
        await page.GotoAsync($"devices/{device}");
        await page.WaitForCircuitAsync();
        await page.Locator("#actions").ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-menu-item").First).ToBeVisibleAsync();
        await CheckAsync(page, "device Actions menu");
        await page.Locator(".mud-popover-open .mud-menu-item[data-action='Reboot']").ClickAsync();
        await CheckDialogAsync(page, "device action dialog", "#plan-summary");

        // The device list with its Views and Columns menus open, then a group action that asks for a typed name.
        await page.GotoAsync($"applications/{kiosk}");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator(".fleet-device-link").First).ToBeVisibleAsync();
        foreach (var menu in new[] { "#saved-views", "#columns-menu" })
        {
            await page.Locator(menu).ClickAsync();
            await Expect(page.Locator(".mud-popover-open").First).ToBeVisibleAsync();
            await CheckAsync(page, $"{menu} menu");
            await page.Mouse.ClickAsync(640, 790); // on the menu's overlay, away from everything
            await Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        }
        var checks = page.Locator(".fleet-device-table tbody .fleet-check-device input");
        await checks.Nth(0).CheckAsync();
        await checks.Nth(1).CheckAsync();
        await Expect(page.Locator("#group-actions")).ToContainTextAsync("Group actions (2)");
        await page.Locator("#group-actions").ClickAsync();
        await page.Locator(".mud-popover-open .mud-menu-item[data-action='Purge data']").ClickAsync();
        await CheckDialogAsync(page, "group action dialog with a typed name", "#typed-name");

        // The move dialog, with its list of applications open.
        await page.Locator("#group-actions").ClickAsync();
        await page.Locator(".mud-popover-open .mud-menu-item[data-action='Move to another application']").ClickAsync();
        await Expect(page.Locator(".fleet-action-dialog")).ToBeVisibleAsync();
        await page.Locator(".fleet-action-dialog .mud-select").First.ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item").First).ToBeVisibleAsync();
        await CheckAsync(page, "move dialog, its list open");
        await page.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        await CheckDialogAsync(page, "move dialog", "#plan-summary, #plan-refusal");

        // An application action, from the application's Actions menu.
        await page.Locator("#actions").ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-menu-item").First).ToBeVisibleAsync();
        await CheckAsync(page, "application Actions menu");
        await page.Locator(".mud-popover-open .mud-menu-item[data-action='Rename application']").ClickAsync();
        await CheckDialogAsync(page, "application action dialog", "#option-name");

        Axe.AssertNone(_violations);
    }

    /// <summary>Checks the open dialog once <paramref name="ready"/> shows in it, then cancels it.</summary>
    private async Task CheckDialogAsync(IPage page, string where, string ready)
    {
        var dialog = page.Locator(".fleet-action-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator(ready).First).ToBeVisibleAsync();
        await CheckAsync(page, where);
        await page.Locator("#action-cancel").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
    }

    private Task<(int Application, int Device)> KioskAsync() =>
        Server.QueryAsync(async db =>
        {
            var application = await db.Applications.SingleAsync(a => a.Name == "kiosk-fleet");
            var device = await db.Devices.Where(d => d.ApplicationId == application.Id).OrderBy(d => d.Name).Select(d => d.Id).FirstAsync();
            return (application.Id, device);
        });

    /// <summary>A recorded run to show: a tag, which every device takes whatever its state.</summary>
    private async Task<long> RunAsync(int application, int device)
    {
        var run = await Server.Services.GetRequiredService<ActionService>()
            .RunAsync(await PersonAsync("admin"), new(new SetDeviceTag("a11y", "checked"), DeviceTargets.Device(application, device)));
        Assert.Null(run.Refusal);
        return run.Id;
    }

    private async Task<ClaimsPrincipal> PersonAsync(string person)
    {
        var email = DemoUsers.Email(person);
        var id = await Server.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id)], "test"));
    }
}
