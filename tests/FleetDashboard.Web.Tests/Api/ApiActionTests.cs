using System.Net;
using System.Text.Json;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Applications;
using FleetDashboard.Web.Tests.Devices;
using FleetDashboard.Web.Tests.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Api;

/// <summary>Actions through the API: the plan, then the run with its confirmation, by the dialog's rules and records.</summary>
public sealed class ApiActionTests(DeviceFleetServer server) : IClassFixture<DeviceFleetServer>
{
    private static readonly SimulationOptions Fast = new() { TimeFactor = 20 };

    private static object Confirming(JsonElement plan, string? typedName = null)
    {
        var confirmation = plan.GetProperty("confirmation");
        return new
        {
            fingerprint = confirmation.GetProperty("fingerprint").GetString(),
            deviceCount = confirmation.GetProperty("deviceCount").GetInt32(),
            runCount = confirmation.GetProperty("runCount").GetInt32(),
            typedName,
        };
    }

    private static async Task<JsonElement> PlanAsync(ApiClient api, string path, object call) =>
        await ApiClient.JsonAsync(await api.PostAsync(path + "/plan", call));

    [Fact]
    public async Task A_reboot_of_a_filtered_selection_is_planned_run_with_its_confirmation_and_its_outcomes_read_back()
    {
        var fleet = await server.FleetAsync("api-reboot");
        await using var devices = await SimulatedFleet.StartAsync(server.BaseAddress, fleet.ProvisioningKey, 3, Fast,
            _ => new SimulatedDevice(new DeviceSetup { DeviceType = fleet.DeviceType, HostOsVersion = "2.13.1", AgentVersion = "1.4.2" }, Fast));
        foreach (var agent in devices.Agents) await agent.WhenConnectedAsync().WaitAsync(TimeSpan.FromSeconds(15));
        var ids = new List<int>();
        foreach (var agent in devices.Agents) ids.Add(await fleet.DeviceIdAsync(agent.Identity.Uuid));
        using var api = await ApiClient.ForAsync(server, fleet.Operator);
        var applicationPath = $"api/v1/applications/{fleet.ApplicationId}";

        // Two of the three get a tag through the API (any action by its key and the dialog's options)...
        var tag = new { action = "set-tag", options = new { tagName = "rack", tagValue = "A" }, targets = new { deviceIds = ids.Take(2) } };
        var tagPlan = await PlanAsync(api, applicationPath, tag);
        await ApiClient.JsonAsync(await api.PostAsync(applicationPath + "/runs", new { tag.action, tag.options, tag.targets, confirmation = Confirming(tagPlan) }),
            HttpStatusCode.Accepted);
        var listed = await ApiClient.JsonAsync(await api.GetAsync($"{applicationPath}/devices?filter=tag.rack:is:A&sort=Name"));
        Assert.Equal(2, listed.GetProperty("total").GetInt32());

        // ...and every device that filter lists is rebooted.
        var reboot = new { action = "reboot", targets = new { allMatching = true, filters = new[] { new { column = "Tag", @operator = "Is", value = "A", tag = "rack" } } } };
        var plan = await PlanAsync(api, applicationPath, reboot);
        Assert.True(plan.GetProperty("allowed").GetBoolean());
        Assert.Equal(2, plan.GetProperty("runCount").GetInt32());
        Assert.Equal(ids.Take(2).Order(), plan.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("id").GetInt32()).Order());
        var started = await api.PostAsync(applicationPath + "/runs", new { reboot.action, reboot.targets, confirmation = Confirming(plan) });
        var run = await ApiClient.JsonAsync(started, HttpStatusCode.Accepted);
        var runPath = started.Headers.Location!.OriginalString.TrimStart('/');

        await Wait.UntilAsync(async () =>
                (await ApiClient.JsonAsync(await api.GetAsync(runPath))).GetProperty("counts").GetProperty("succeeded").GetInt32() == 2,
            "both rebooted devices to answer");
        var outcomes = await ApiClient.JsonAsync(await api.GetAsync(runPath + "/outcomes?take=10"));
        Assert.Equal(2, outcomes.GetProperty("total").GetInt32());
        Assert.All(outcomes.GetProperty("rows").EnumerateArray(), o => Assert.Equal("Succeeded", o.GetProperty("kind").GetString()));
        Assert.Equal(ids.Take(2).Order(), outcomes.GetProperty("rows").EnumerateArray().Select(o => o.GetProperty("deviceId").GetInt32()).Order());
        Assert.Equal(run.GetProperty("id").GetInt64(), long.Parse(runPath.Split('/')[^1]));
        await Wait.UntilAsync(() => devices.Devices.Count(d => d.PowerCycles == 1) == 2, "the two devices to have rebooted");
    }

    [Fact]
    public async Task A_role_too_low_is_refused_with_403_and_recorded_in_the_history()
    {
        var fleet = await server.FleetAsync("api-observer");
        var observer = await server.CreateUserAsync("api-observer@acme.test", "Observer-password-1");
        await using (var db = await server.DbAsync())
        {
            db.ApplicationMembers.Add(new ApplicationMember { ApplicationId = fleet.ApplicationId, UserId = observer.Id, Role = ApplicationRole.Observer });
            await db.SaveChangesAsync();
        }
        using var api = await ApiClient.ForAsync(server, FleetStore.SignedIn(observer));
        var applicationPath = $"api/v1/applications/{fleet.ApplicationId}";
        var restart = new { action = "restart-application" };

        var plan = await PlanAsync(api, applicationPath, restart);
        Assert.False(plan.GetProperty("allowed").GetBoolean());
        var refused = await api.PostAsync(applicationPath + "/runs", new { restart.action, confirmation = Confirming(plan) });
        var release = await api.PostAsync(applicationPath + "/releases", new { commit = "abc123", services = new { main = "registry/app:1" } });

        Assert.Contains("Operator", await ApiClient.ProblemAsync(refused, HttpStatusCode.Forbidden));
        Assert.Contains("Developer", await ApiClient.ProblemAsync(release, HttpStatusCode.Forbidden));
        var recorded = await server.QueryAsync(db => db.ActionRuns.Where(r => r.ApplicationId == fleet.ApplicationId && r.ActorEmail == "api-observer@acme.test")
            .Select(r => new { r.ActionKey, r.Refusal }).ToListAsync());
        Assert.Equal(["create-release", "restart-application"], recorded.Select(r => r.ActionKey).Order());
        Assert.All(recorded, r => Assert.NotNull(r.Refusal));
    }

    [Fact]
    public async Task A_wrong_typed_name_is_refused_and_recorded_and_the_right_one_runs()
    {
        var fleet = await server.FleetAsync("api-typed");
        var registered = await fleet.RegisterAsync(name: "kiosk-to-stop");
        var deviceId = await fleet.DeviceIdAsync(registered.Uuid);
        using var api = await ApiClient.ForAsync(server, fleet.Operator);
        var devicePath = $"api/v1/devices/{deviceId}";
        var shutdown = new { action = "shutdown" };

        var plan = await PlanAsync(api, devicePath, shutdown);
        Assert.Equal("kiosk-to-stop", plan.GetProperty("nameToType").GetString());
        var wrong = await api.PostAsync(devicePath + "/runs", new { shutdown.action, confirmation = Confirming(plan, "kiosk-to-go") });
        var missing = await api.PostAsync(devicePath + "/runs", new { shutdown.action });
        var right = await api.PostAsync(devicePath + "/runs", new { shutdown.action, confirmation = Confirming(plan, "kiosk-to-stop") });

        Assert.Equal("\"kiosk-to-go\" is not kiosk-to-stop; nothing was done.", await ApiClient.ProblemAsync(wrong, HttpStatusCode.Conflict));
        Assert.Contains("POST .../plan first", await ApiClient.ProblemAsync(missing, HttpStatusCode.BadRequest));
        var run = await ApiClient.JsonAsync(right, HttpStatusCode.Accepted);
        Assert.Null(run.GetProperty("refusal").GetString());
        var refusals = await server.QueryAsync(db => db.ActionRuns.Where(r => r.DeviceId == deviceId && r.ActionKey == "shutdown")
            .Select(r => r.Refusal).ToListAsync());
        Assert.Equal(2, refusals.Count);
        Assert.Single(refusals, r => r == "\"kiosk-to-go\" is not kiosk-to-stop; nothing was done.");
    }

    [Fact]
    public async Task An_unknown_action_and_one_with_a_page_of_its_own_are_bad_requests_that_name_the_way()
    {
        var fleet = await server.FleetAsync("api-unknown");
        using var api = await ApiClient.ForAsync(server, fleet.Operator);
        var applicationPath = $"api/v1/applications/{fleet.ApplicationId}";

        var unknown = await api.PostAsync(applicationPath + "/plan", new { action = "explode" });
        var ownPage = await api.PostAsync(applicationPath + "/plan", new { action = "create-release" });

        Assert.Contains("reboot", await ApiClient.ProblemAsync(unknown, HttpStatusCode.BadRequest));
        Assert.Contains("its own endpoint", await ApiClient.ProblemAsync(ownPage, HttpStatusCode.BadRequest));
    }
}
