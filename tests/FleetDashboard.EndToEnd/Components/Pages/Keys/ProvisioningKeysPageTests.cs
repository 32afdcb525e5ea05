using System.Net;
using System.Net.Http.Json;
using FleetDashboard.Core.Protocol;
using FleetDashboard.EndToEnd.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Pages.Keys;

/// <summary>Onboarding a device as a new user would: a developer makes a key, copies what the page shows, and a device joins with it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ProvisioningKeysPageTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    [Fact]
    public async Task A_developer_creates_a_key_sees_the_simulate_command_once_and_a_device_registers_with_it()
    {
        var kiosk = await Server.QueryAsync(db => db.Applications.Where(a => a.Name == "kiosk-fleet").Select(a => a.Id).SingleAsync());
        var page = await OpenPageAsync();
        await page.SignInAsync("developer");
        await page.GotoAsync($"applications/{kiosk}");
        await page.WaitForCircuitAsync();
        await page.Locator("#tab-keys").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/applications/{kiosk}/keys$"));

        await page.Locator("#key-name").FillAsync("line 7");
        await page.Locator("#key-max-uses").FillAsync("2");
        await page.Locator("#create-provisioning-key").ClickAsync();

        var command = page.Locator("#simulate-command");
        await Expect(command).ToContainTextAsync("simulate --server http://127.0.0.1:");
        var secret = (await page.Locator("#provisioning-key-secret").TextContentAsync())!.Trim();
        await Expect(command).ToContainTextAsync($"--provisioning-key {secret} --devices 1 --device-type ");
        await Screenshots.TakeAsync(page, "provisioning-keys", "created");

        // The device's side, as the snippet shows it: one POST with the key.
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var deviceType = await Server.QueryAsync(db => db.Applications.Where(a => a.Id == kiosk).Select(a => a.DefaultDeviceType).SingleAsync());
        var answer = await http.PostAsJsonAsync(DeviceProtocol.RegisterPath.TrimStart('/'),
            new RegisterRequest(DeviceProtocol.Version, secret, deviceType, "kiosk-line-7", "2.13.1", "1.4.2"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        // Opened again, the page shows the use and never the key.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        var row = page.Locator("#provisioning-keys tbody tr", new() { HasText = "line 7" });
        await Expect(row.Locator(".key-uses")).ToHaveTextAsync("1 / 2");
        await Expect(page.Locator("#provisioning-key-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());
    }
}
