using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>Keys that expire, run out or are revoked, as a device's agent meets them: refused, with the reason in what it logs.</summary>
public sealed class ProvisioningKeyTests(DeviceFleetServer server) : IClassFixture<DeviceFleetServer>
{
    private async Task<string> KeyAsync(Fleet fleet, CreateProvisioningKey create)
    {
        var (run, key) = await server.Actions.IssueAsync(fleet.Operator, ActionRequest.On(fleet.ApplicationId, create));
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
        Assert.Null((await server.Actions.RunAsync(fleet.Operator, ActionRequest.On(fleet.ApplicationId, new RevokeProvisioningKey(revokedId)))).Refusal);

        Assert.Contains("The provisioning key \"for a day\" expired on", (await RefusedAsync(expiring)).Message);
        Assert.Contains("The provisioning key \"to revoke\" was revoked on", (await RefusedAsync(revoked)).Message);
        Assert.Contains("The provisioning key is unknown.", (await RefusedAsync("made-up")).Message);
        Assert.Equal(0, await server.QueryAsync(db => db.Devices.CountAsync(d => d.ApplicationId == fleet.ApplicationId)));
    }
}
