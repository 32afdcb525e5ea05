using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>Keys that expire, run out or are revoked, as a device's agent meets them: refused, with the reason in what it logs.</summary>
public sealed class ProvisioningKeyTests(DeviceFleetServer server) : IClassFixture<DeviceFleetServer>
{
    private async Task<string> KeyAsync(Fleet fleet, CreateProvisioningKey create)
    {
        var (run, key) = await server.Actions.IssueAsync(fleet.Developer!, ActionRequest.On(fleet.ApplicationId, create));
        Assert.Null(run.Refusal);
        return key!;
    }

    private async Task<DeviceRegistrationException> RefusedAsync(string key)
    {
        using var http = new HttpClient();
        return await Assert.ThrowsAsync<DeviceRegistrationException>(() =>
            DeviceAgent.RegisterAsync(http, server.BaseAddress, key, new SimulatedDevice()));
    }

    [Fact]
    public async Task A_key_for_one_device_registers_one_and_refuses_the_next_saying_it_is_used_up()
    {
        var fleet = await server.FleetAsync("one-use");
        var key = await KeyAsync(fleet, new CreateProvisioningKey("one device", MaxUses: 1));
        using var http = new HttpClient();

        await DeviceAgent.RegisterAsync(http, server.BaseAddress, key, new SimulatedDevice());
        var refused = await RefusedAsync(key);

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("The provisioning key \"one device\" is used up: it registers at most 1 device.", refused.ServerMessage);
        Assert.Equal(1, await server.QueryAsync(db => db.Devices.CountAsync(d => d.ApplicationId == fleet.ApplicationId)));
    }

    [Fact]
    public async Task An_expired_or_revoked_key_is_refused_with_its_reason()
    {
        var fleet = await server.FleetAsync("spent-keys");
        var expiring = await KeyAsync(fleet, new CreateProvisioningKey("for a day", ExpiresAt: DateTimeOffset.UtcNow.AddDays(1)));
        var revoked = await KeyAsync(fleet, new CreateProvisioningKey("to revoke"));
        await using (var db = await server.DbAsync())
        {
            // A day later, without waiting one.
            var key = await db.ProvisioningKeys.SingleAsync(k => k.ApplicationId == fleet.ApplicationId && k.Name == "for a day");
            key.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }
        var revokedId = await server.QueryAsync(db => db.ProvisioningKeys.Where(k => k.ApplicationId == fleet.ApplicationId && k.Name == "to revoke")
            .Select(k => k.Id).SingleAsync());
        Assert.Null((await server.Actions.RunAsync(fleet.Developer!, ActionRequest.On(fleet.ApplicationId, new RevokeProvisioningKey(revokedId)))).Refusal);

        Assert.Contains("The provisioning key \"for a day\" expired on", (await RefusedAsync(expiring)).Message);
        Assert.Contains("The provisioning key \"to revoke\" was revoked on", (await RefusedAsync(revoked)).Message);
        Assert.Contains("The provisioning key is unknown.", (await RefusedAsync("made-up")).Message);
        Assert.Equal(0, await server.QueryAsync(db => db.Devices.CountAsync(d => d.ApplicationId == fleet.ApplicationId)));
    }

    [Fact]
    public async Task A_key_a_developer_creates_registers_a_device_over_HTTP_and_its_list_shows_the_use()
    {
        var fleet = await server.FleetAsync("first-device");
        var before = DateTimeOffset.UtcNow;
        var key = await KeyAsync(fleet, new CreateProvisioningKey("line 1", MaxUses: 5));
        using var http = new HttpClient();

        var identity = await DeviceAgent.RegisterAsync(http, server.BaseAddress, key, new SimulatedDevice());

        var queries = server.Services.GetRequiredService<FleetQueries>();
        var listed = (await queries.ProvisioningKeysAsync(fleet.Developer!, fleet.ApplicationId))!.Keys.Single(k => k.Name == "line 1");
        Assert.Equal((1, 5, ProvisioningKeyState.Active), (listed.Uses, listed.MaxUses, listed.State));
        Assert.InRange(listed.LastUsedAt!.Value, before, DateTimeOffset.UtcNow);
        Assert.Equal(fleet.ApplicationId, await server.QueryAsync(db => db.Devices.Where(d => d.Uuid == identity.Uuid).Select(d => d.ApplicationId).SingleAsync()));
        // An operator does not see the keys at all: they are the developers' to hand out.
        Assert.Null(await queries.ProvisioningKeysAsync(fleet.Operator, fleet.ApplicationId));
    }

    [Fact]
    public async Task An_operator_can_neither_create_nor_revoke_a_key_and_each_refusal_is_in_the_history()
    {
        var fleet = await server.FleetAsync("operator-keys");
        var keyId = await server.QueryAsync(db => db.ProvisioningKeys.Where(k => k.ApplicationId == fleet.ApplicationId).Select(k => k.Id).SingleAsync());

        var (created, secret) = await server.Actions.IssueAsync(fleet.Operator, ActionRequest.On(fleet.ApplicationId, new CreateProvisioningKey("mine")));
        var revoked = await server.Actions.RunAsync(fleet.Operator, ActionRequest.On(fleet.ApplicationId, new RevokeProvisioningKey(keyId)));

        Assert.Contains("needs the Developer role", created.Refusal);
        Assert.Null(secret);
        Assert.Contains("needs the Developer role", revoked.Refusal);
        var refusals = await server.QueryAsync(db => db.ActionRuns
            .Where(r => r.ApplicationId == fleet.ApplicationId && r.Refusal != null).Select(r => r.ActionKey).ToListAsync());
        Assert.Equal([CreateProvisioningKey.Create.Key, RevokeProvisioningKey.Revoke.Key], refusals.Order());
        Assert.Null(await server.QueryAsync(db => db.ProvisioningKeys.Where(k => k.Id == keyId).Select(k => k.RevokedAt).SingleAsync()));
        // The key still registers devices.
        await fleet.RegisterAsync();
    }
}
