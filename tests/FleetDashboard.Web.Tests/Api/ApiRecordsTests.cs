using System.Net;
using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Web.Tests.Devices;

namespace FleetDashboard.Web.Tests.Api;

/// <summary>What a pipeline publishes and keeps: releases and provisioning keys, through their actions; and the API's document.</summary>
public sealed class ApiRecordsTests(DeviceFleetServer server) : IClassFixture<DeviceFleetServer>
{
    [Fact]
    public async Task A_developer_publishes_a_release_that_the_application_then_lists()
    {
        var fleet = await server.FleetAsync("api-release");
        using var api = await ApiClient.ForAsync(server, await server.DeveloperAsync(fleet));
        var releases = $"api/v1/applications/{fleet.ApplicationId}/releases";

        var published = await ApiClient.JsonAsync(await api.PostAsync(releases,
            new { commit = "f00dcafe", version = "2.0.0", note = "built by CI", services = new { main = "registry/app:2" } }), HttpStatusCode.Created);
        var again = await api.PostAsync(releases, new { commit = "0ddba11", version = "2.0.0", services = new { main = "registry/app:3" } });

        Assert.Equal(("f00dcafe", "2.0.0", "built by CI"),
            (published.GetProperty("commit").GetString(), published.GetProperty("version").GetString(), published.GetProperty("note").GetString()));
        Assert.Contains("2.0.0", (await ApiClient.JsonAsync(await api.GetAsync(releases))).EnumerateArray().Select(r => r.GetProperty("version").GetString()));
        Assert.Equal("api-release already has a release 2.0.0.", await ApiClient.ProblemAsync(again, HttpStatusCode.UnprocessableEntity));
    }

    [Fact]
    public async Task A_key_is_created_with_its_secret_once_registers_a_device_and_once_revoked_registers_none()
    {
        var fleet = await server.FleetAsync("api-keys");
        using var api = await ApiClient.ForAsync(server, await server.DeveloperAsync(fleet));
        var keys = $"api/v1/applications/{fleet.ApplicationId}/provisioning-keys";

        var created = await ApiClient.JsonAsync(await api.PostAsync(keys, new { name = "line 2", maxUses = 5 }), HttpStatusCode.Created);
        var secret = created.GetProperty("secret").GetString()!;
        await Fleet.RegisterAsync(server.BaseAddress, secret, fleet.DeviceType);
        var listed = (await ApiClient.JsonAsync(await api.GetAsync(keys))).EnumerateArray().Single(k => k.GetProperty("name").GetString() == "line 2");
        var revoked = await api.DeleteAsync($"{keys}/{created.GetProperty("id").GetInt32()}");

        Assert.Equal(1, listed.GetProperty("uses").GetInt32());
        Assert.DoesNotContain(secret, listed.ToString());
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var http = new HttpClient();
        var refused = await Assert.ThrowsAsync<DeviceRegistrationException>(() =>
            DeviceAgent.RegisterAsync(http, server.BaseAddress, secret, new SimulatedDevice()));
        Assert.Contains("The provisioning key \"line 2\" was revoked on", refused.Message);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_endpoints_and_the_bearer_scheme_and_scalar_shows_it_under_the_csp()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var document = await ApiClient.JsonAsync(await http.GetAsync("openapi/v1.json"));
        var scalar = await http.GetAsync("scalar");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Subset(paths.ToHashSet(), new HashSet<string>
        {
            "/api/v1/applications", "/api/v1/applications/{applicationId}/devices", "/api/v1/devices/{deviceId}",
            "/api/v1/applications/{applicationId}/plan", "/api/v1/applications/{applicationId}/runs", "/api/v1/devices/{deviceId}/plan",
            "/api/v1/devices/{deviceId}/runs", "/api/v1/runs/{runId}", "/api/v1/runs/{runId}/outcomes",
            "/api/v1/applications/{applicationId}/releases", "/api/v1/applications/{applicationId}/provisioning-keys",
            "/api/v1/applications/{applicationId}/provisioning-keys/{keyId}",
        });
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());

        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        var csp = scalar.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        // As the browser reads the attribute: a '+' of the base64 nonce is written as &#x2B;.
        Assert.Contains($"nonce=\"{nonce}\"", WebUtility.HtmlDecode(await scalar.Content.ReadAsStringAsync()));
    }
}
