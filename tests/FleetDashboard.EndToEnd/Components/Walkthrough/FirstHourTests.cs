using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.EndToEnd.Infrastructure;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Walkthrough;

/// <summary>
/// Issue 12's "Done when" in one flow, as a new user's first hour: from <c>create-admin</c> in Production with no demo
/// to a rolled-out release, a filtered reboot through the API, a device's public page and the metrics that saw it all.
/// Each step goes the way a person or a pipeline would (the page, the command the page shows, the API with a token).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class FirstHourTests(BrowserFixture browser, FreshInstallation server)
    : BrowserTest(browser, server), IClassFixture<FreshInstallation>
{
    private const string AdminEmail = "first@acme.test";
    private const string AdminPassword = "Admin-password-2026";
    private const string Application = "greenhouse";

    // The simulator's --time-factor: installs and reboots twenty times faster than a real device.
    private static readonly SimulationOptions Fast = new() { TimeFactor = 20 };
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task From_create_admin_to_a_rolled_out_release_a_filtered_reboot_a_public_page_and_the_metrics()
    {
        // create-admin, the real command against the data folder, before the server has ever started.
        var created = await AppCommand.RunAsync(Server.DataDirectory, ["create-admin", AdminEmail, "--organization", "Acme"],
            new Dictionary<string, string?>
            {
                ["Fleet__DataDirectory"] = Server.DataDirectory,
                ["ConnectionStrings__Fleet"] = null,
                [CreateAdminCommand.PasswordVariable] = AdminPassword,
            });
        Assert.True(created.ExitCode == 0, created.Error);

        // The administrator signs in and creates an application on the organizations page.
        var admin = await OpenPageAsync();
        await admin.GotoAsync("Account/Login");
        await admin.SubmitSignInAsync(AdminEmail, AdminPassword);
        await Expect(admin).ToHaveURLAsync(DemoUsers.ApplicationsUrl());
        await admin.GotoAsync("organizations");
        await admin.WaitForCircuitAsync();
        var create = admin.Locator("[data-create-in='Acme']");
        await create.Locator(".fleet-org-create-name input").FillAsync(Application);
        await create.Locator(".fleet-org-create-submit").ClickAsync();
        await Expect(create.Locator(".fleet-org-created")).ToContainTextAsync($"Created {Application} in Acme.");
        var applicationId = await Server.QueryAsync(db => db.Applications.Where(a => a.Name == Application).Select(a => a.Id).SingleAsync());

        await InviteAColleagueAsync(admin, applicationId);

        // A provisioning key on the keys page, and the simulate command it shows, run for three devices.
        await admin.GotoAsync($"applications/{applicationId}/keys");
        await admin.WaitForCircuitAsync();
        await admin.Locator("#key-name").FillAsync("first batch");
        await admin.Locator("#create-provisioning-key").ClickAsync();
        var command = (await admin.Locator("#simulate-command").TextContentAsync())!.Trim();
        await Screenshots.TakeAsync(admin, "first-hour", "key");
        var (serverText, key, deviceType) = ReadSimulateCommand(command);
        Assert.Equal(Server.BaseAddress.ToString().TrimEnd('/'), serverText);

        // The application page is open before they connect: they arrive live, without a reload.
        await admin.GotoAsync($"applications/{applicationId}");
        await admin.WaitForCircuitAsync();
        await Expect(admin.Locator("#application-name")).ToHaveTextAsync(Application);
        await using var devices = await SimulatedFleet.StartAsync(new Uri(serverText), key, 3, Fast,
            _ => new SimulatedDevice(new DeviceSetup { DeviceType = deviceType }, Fast));
        foreach (var agent in devices.Agents) await agent.WhenConnectedAsync().WaitAsync(Long);
        await Expect(admin.Locator(".fleet-device-link")).ToHaveCountAsync(3, new() { Timeout = 60_000 });
        await Expect(admin.Locator(".fleet-device-status", new() { HasText = "Online" })).ToHaveCountAsync(3, new() { Timeout = 60_000 });
        await Screenshots.TakeAsync(admin, "first-hour", "devices-arrived");

        // A personal access token from the account page, and a release published with it, as a pipeline would.
        using var api = new HttpClient { BaseAddress = Server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CreateTokenAsync(admin));
        var applicationPath = $"api/v1/applications/{applicationId}";
        const string commit = "f1r5th0ur";
        await JsonAsync(await api.PostAsJsonAsync($"{applicationPath}/releases",
            new { commit, services = new Dictionary<string, string> { ["main"] = "registry.example/greenhouse:1.0.0" }, version = "1.0.0", note = "first" }),
            HttpStatusCode.Created);

        // Rolled out from the application's Actions menu, through the confirmation dialog.
        await admin.Locator("#actions").ClickAsync();
        await admin.Locator(".mud-popover-open .mud-menu-item[data-action='Set target release']").ClickAsync();
        await Expect(admin.Locator(".fleet-action-dialog")).ToBeVisibleAsync();
        await admin.Locator(".fleet-action-dialog .mud-select").Filter(new() { Has = admin.Locator("#option-release") }).First.ClickAsync();
        await admin.Locator(".mud-popover-open .mud-list-item", new() { HasText = "1.0.0" }).ClickAsync();
        await Expect(admin.Locator("#action-confirm")).ToBeEnabledAsync();
        await Screenshots.TakeAsync(admin, "first-hour", "target-release");
        await admin.Locator("#action-confirm").ClickAsync();
        await Wait.UntilAsync(async () => await Server.QueryAsync(db =>
                db.Devices.CountAsync(d => d.ApplicationId == applicationId && d.ReleaseCommit == commit)) == 3,
            "the three devices to report the release", Long);

        // Two devices tagged and the group the tag filter lists rebooted, through the API: the plan, then the run.
        var ids = (await JsonAsync(await api.GetAsync($"{applicationPath}/devices?sort=Name"))).GetProperty("rows").EnumerateArray()
            .Select(d => d.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(3, ids.Count);
        await PlanAndRunAsync(api, applicationPath,
            new { action = "set-tag", options = new { tagName = "bench", tagValue = "north" }, targets = new { deviceIds = ids.Take(2) } });
        var runPath = await PlanAndRunAsync(api, applicationPath, new
        {
            action = "reboot",
            targets = new { allMatching = true, filters = new[] { new { column = "Tag", @operator = "Is", value = "north", tag = "bench" } } },
        });
        await Wait.UntilAsync(async () =>
                (await JsonAsync(await api.GetAsync(runPath))).GetProperty("counts").GetProperty("succeeded").GetInt32() == 2,
            "both rebooted devices to succeed", Long);
        var outcomes = await JsonAsync(await api.GetAsync($"{runPath}/outcomes?take=10"));
        Assert.Equal(2, outcomes.GetProperty("total").GetInt32());
        Assert.All(outcomes.GetProperty("rows").EnumerateArray(), o => Assert.Equal("Succeeded", o.GetProperty("kind").GetString()));

        // A device's public URL turned on through the API, and its own page opened in the browser.
        var shown = (await JsonAsync(await api.GetAsync($"api/v1/devices/{ids[2]}"))).GetProperty("row");
        await PlanAndRunAsync(api, $"api/v1/devices/{ids[2]}", new { action = "public-url-on" });
        var visitor = await OpenPageAsync();
        await visitor.GotoAsync($"public/{shown.GetProperty("uuid").GetString()}/");
        await Expect(visitor.Locator("h1")).ToContainTextAsync(shown.GetProperty("name").GetString()!);
        await Screenshots.TakeAsync(visitor, "first-hour", "public-page");

        // /metrics, scraped from loopback, saw it all: the devices connected and the deliveries counted. The two
        // rebooted devices are back once their simulated boot is over: scraped until they are.
        var metrics = "";
        await Wait.UntilAsync(async () => Metric(metrics = await api.GetStringAsync("metrics"), "fleet_devices_connected") >= 3,
            "the rebooted devices to be connected again", Long);
        Assert.True(Metric(metrics, "fleet_deliveries_total", "outcome=\"succeeded\"") >= 2, metrics);
    }

    /// <summary>The administrator invites a colleague to the application; the link, opened in a browser of their own, lands there.</summary>
    private async Task InviteAColleagueAsync(IPage admin, int applicationId)
    {
        await admin.GotoAsync($"applications/{applicationId}/members");
        await admin.WaitForCircuitAsync();
        var invite = admin.Locator($"[data-invite-to='{Application}']");
        await invite.Locator(".fleet-invite-email input").FillAsync("colleague@acme.test");
        await admin.ChooseAsync(invite.Locator(".fleet-invite-role"), "Developer");
        await invite.Locator(".fleet-invite-submit").ClickAsync();
        var link = (await invite.Locator(".fleet-invitation-url").TextContentAsync())!.Trim();

        var colleague = await OpenPageAsync();
        await colleague.GotoAsync(link);
        await colleague.Locator("[id='Join.DisplayName']").FillAsync("Casey Colleague");
        await colleague.Locator("[id='Join.Password']").FillAsync("Colleague-2026!");
        await colleague.Locator("[id='Join.ConfirmPassword']").FillAsync("Colleague-2026!");
        await colleague.Locator("#join-form button[type=submit]").ClickAsync();
        await Expect(colleague).ToHaveURLAsync(new Regex($"/applications/{applicationId}$"));
        await colleague.WaitForCircuitAsync();
        await Expect(colleague.Locator("#application-role")).ToHaveTextAsync("Developer");
    }

    /// <summary>Creates a token on the account page and reads it off the page, where it is shown this once.</summary>
    private static async Task<string> CreateTokenAsync(IPage page)
    {
        var back = page.Url;
        await page.GotoAsync("account/access-tokens");
        await page.WaitForCircuitAsync();
        await page.Locator("#token-name").FillAsync("release pipeline");
        await page.Locator("#create-token").ClickAsync();
        var token = (await page.Locator("#new-token-secret").TextContentAsync())!.Trim();
        await page.GotoAsync(back);
        await page.WaitForCircuitAsync();
        return token;
    }

    /// <summary>POSTs the call's plan, then runs it with the plan's confirmation; the run's path.</summary>
    private static async Task<string> PlanAndRunAsync(HttpClient api, string path, object call)
    {
        var plan = await JsonAsync(await api.PostAsJsonAsync($"{path}/plan", call));
        Assert.True(plan.GetProperty("allowed").GetBoolean(), plan.ToString());
        var confirmation = plan.GetProperty("confirmation");
        var body = JsonSerializer.SerializeToNode(call, JsonSerializerOptions.Web)!.AsObject();
        body["confirmation"] = JsonSerializer.SerializeToNode(new
        {
            fingerprint = confirmation.GetProperty("fingerprint").GetString(),
            deviceCount = confirmation.GetProperty("deviceCount").GetInt32(),
            runCount = confirmation.GetProperty("runCount").GetInt32(),
        }, JsonSerializerOptions.Web);
        var started = await api.PostAsJsonAsync($"{path}/runs", body);
        await JsonAsync(started, HttpStatusCode.Accepted);
        return started.Headers.Location!.OriginalString.TrimStart('/');
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The server, key and device type of the keys page's <c>simulate</c> command, as the simulator reads them.</summary>
    private static (string Server, string Key, string DeviceType) ReadSimulateCommand(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string After(string option) => words[Array.IndexOf(words, option) + 1];
        Assert.Contains("simulate", words);
        return (After("--server"), After("--provisioning-key"), After("--device-type"));
    }

    /// <summary>The value of the first series of <paramref name="name"/> whose labels hold <paramref name="label"/>; 0 when none.</summary>
    private static double Metric(string scrape, string name, string label = "")
    {
        foreach (Match line in MetricLine().Matches(scrape))
        {
            if (line.Groups["name"].Value == name && line.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
                return double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return 0;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(?<labels>\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex MetricLine();
}
