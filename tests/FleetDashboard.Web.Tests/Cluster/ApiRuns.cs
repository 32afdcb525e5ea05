using System.Net;
using System.Text.Json;
using FleetDashboard.Web.Tests.Api;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>Actions on a node in another process, through its API as a script would: planned, then run with that plan's confirmation.</summary>
public static class ApiRuns
{
    /// <summary>Reboots the devices as one run; its id. The plan must say every one of them will reboot.</summary>
    public static async Task<long> RebootAsync(ApiClient api, NodeFleet fleet, IReadOnlyCollection<int> deviceIds)
    {
        var path = $"api/v1/applications/{fleet.ApplicationId}";
        var reboot = new { action = "reboot", targets = new { deviceIds } };
        var plan = await ApiClient.JsonAsync(await api.PostAsync(path + "/plan", reboot));
        Assert.Equal(deviceIds.Count, plan.GetProperty("runCount").GetInt32());
        var confirmation = plan.GetProperty("confirmation");
        var run = await ApiClient.JsonAsync(await api.PostAsync(path + "/runs", new
        {
            reboot.action,
            reboot.targets,
            confirmation = new
            {
                fingerprint = confirmation.GetProperty("fingerprint").GetString(),
                deviceCount = confirmation.GetProperty("deviceCount").GetInt32(),
                runCount = confirmation.GetProperty("runCount").GetInt32(),
            },
        }), HttpStatusCode.Accepted);
        return run.GetProperty("id").GetInt64();
    }

    /// <summary>The run's outcome counts as the API gives them (succeeded, timedOut, refused, waiting...).</summary>
    public static async Task<JsonElement> CountsAsync(ApiClient api, long runId) =>
        (await ApiClient.JsonAsync(await api.GetAsync($"api/v1/runs/{runId}"))).GetProperty("counts");

    /// <summary>The run's outcomes as the API lists them.</summary>
    public static async Task<JsonElement> OutcomesAsync(ApiClient api, long runId) =>
        await ApiClient.JsonAsync(await api.GetAsync($"api/v1/runs/{runId}/outcomes?take=100"));
}
