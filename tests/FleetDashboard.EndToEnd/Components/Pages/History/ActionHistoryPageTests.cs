using FleetDashboard.Web.Actions;
using System.Security.Claims;
using System.Text.RegularExpressions;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.EndToEnd.Infrastructure;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Pages.History;

[Collection(BrowserCollection.Name)]
public sealed class ActionHistoryPageTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    [Fact]
    public async Task An_operator_reads_the_history_opens_a_run_and_downloads_the_csv()
    {
        await Server.WaitForDemoFleetAsync(TimeSpan.FromSeconds(60));
        var (operatorId, kioskFleet, devices) = await Server.QueryAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == "operator@acme.test");
            var application = await db.Applications.SingleAsync(a => a.Name == "kiosk-fleet");
            // Devices that will carry out a reboot: connected, agent new enough, no update lock held.
            var connected = (await db.Devices.AsNoTracking().Where(d => d.ApplicationId == application.Id && d.ConnectedAt != null && !d.UpdateLockHeld)
                    .OrderBy(d => d.Name).ToListAsync())
                .Where(d => d.AgentVersion >= FleetVersion.DeviceActionsFrom).Select(d => new { d.Id, d.Name }).Take(2).ToList();
            return (user.Id, application.Id, connected);
        });
        Assert.Equal(2, devices.Count);
        var actor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, operatorId)], "test"));
        var actions = Server.Services.GetRequiredService<ActionService>();
        var tag = await actions.RunAsync(actor, new(new SetDeviceTag("e2e", "history"), DeviceTargets.Group(kioskFleet, devices.Select(d => d.Id).ToList())));
        var reboot = await actions.RunAsync(actor, new(new RebootDevice(), DeviceTargets.Device(kioskFleet, devices[0].Id)));
        Assert.Null(tag.Refusal);
        Assert.Null(reboot.Refusal);

        var page = await OpenPageAsync();
        await page.SignInAsync("operator");
        await page.GotoAsync($"applications/{kioskFleet}/history");
        await page.WaitForCircuitAsync();

        var runs = page.Locator(".fleet-history-run");
        await Expect(runs.First).ToHaveTextAsync("Reboot");
        await Expect(page.Locator($".fleet-history-run[data-run='{tag.Id}']")).ToHaveTextAsync("Set tag");
        await Expect(page.Locator("#tab-history")).ToHaveClassAsync(new Regex("active"));
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await Screenshots.TakeAsync(page, "history-application", "all-runs");

        await page.Locator("input#history-text").FillAsync("e2e");
        await Expect(runs).ToHaveCountAsync(1);
        await Expect(runs).ToHaveTextAsync("Set tag");
        await Expect(page.Locator("#history-export")).ToHaveAttributeAsync("href", $"applications/{kioskFleet}/history.csv?q=e2e");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#history-export").ClickAsync());
        var path = await download.PathAsync();
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(string.Join(",", HistoryCsv.Header), lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.StartsWith($"{tag.Id},", l));
        Assert.Contains(lines, l => l.Contains($",operator@acme.test,Set tag,e2e = history,Group,,,{devices[0].Name},"));
        Assert.Matches(new Regex(@"^application-\d+-history-\d{8}-\d{4}\.csv$"), download.SuggestedFilename);

        await page.Locator("input#history-text").FillAsync("");
        await page.Locator($".fleet-history-run[data-run='{reboot.Id}']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/runs/{reboot.Id}$"));
        await Expect(page.Locator("#run-action")).ToHaveTextAsync("Reboot");
        await Expect(page.Locator("#run-actor")).ToHaveTextAsync("operator@acme.test");
        await Expect(page.Locator("#run-device")).ToHaveTextAsync(devices[0].Name);
        await Expect(page.Locator(".fleet-outcome-device")).ToHaveTextAsync([devices[0].Name]);
        await Expect(page.Locator("#run-counts [data-outcome='Succeeded'] .fleet-outcome-number")).ToHaveTextAsync("1");
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await Screenshots.TakeAsync(page, "history-run", "reboot");

        await page.GotoAsync($"runs/{tag.Id}");
        await Expect(page.Locator(".fleet-outcome-device")).ToHaveCountAsync(2);
        await Expect(page.Locator("#run-counts [data-outcome='Succeeded'] .fleet-outcome-number")).ToHaveTextAsync("2");
        await Screenshots.TakeAsync(page, "history-run", "group-tag");
    }

    [Fact]
    public async Task A_refused_attempt_is_marked_in_the_history_and_on_its_page()
    {
        var (observerId, kioskFleet, device) = await Server.QueryAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == "observer@acme.test");
            var application = await db.Applications.SingleAsync(a => a.Name == "kiosk-fleet");
            var first = await db.Devices.Where(d => d.ApplicationId == application.Id).OrderBy(d => d.Name).Select(d => d.Id).FirstAsync();
            return (user.Id, application.Id, first);
        });
        var observer = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, observerId)], "test"));
        var refused = await Server.Services.GetRequiredService<ActionService>()
            .RunAsync(observer, new(new RebootDevice(), DeviceTargets.Device(kioskFleet, device)));
        Assert.NotNull(refused.Refusal);

        var page = await OpenPageAsync();
        await page.SignInAsync("observer");
        await page.GotoAsync($"applications/{kioskFleet}/history");
        await page.WaitForCircuitAsync();

        var row = page.Locator("tr", new() { Has = page.Locator($".fleet-history-run[data-run='{refused.Id}']") });
        await Expect(row.Locator(".fleet-history-refusal")).ToContainTextAsync("needs the Operator role");
        await Screenshots.TakeAsync(page, "history-application", "refused");

        await row.Locator(".fleet-history-run").ClickAsync();
        await Expect(page.Locator("#run-refusal")).ToContainTextAsync("needs the Operator role");
        await Screenshots.TakeAsync(page, "history-run", "refused");
    }
}
