using FleetDashboard.Core.Access;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Data;
using FleetDashboard.Core.Applications;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Devices;

/// <summary>A new device registers with a provisioning key and receives its own credential, once.</summary>
public sealed class DeviceRegistration(IDbContextFactory<FleetDbContext> dbs, DeviceFeed feed, TimeProvider clock)
{
    /// <summary>The registered device, or the reason it was refused (nothing is stored then).</summary>
    public async Task<(RegisterResponse? Registered, string? Refusal)> RegisterAsync(RegisterRequest request, CancellationToken ct)
    {
        if (request.ProtocolVersion != DeviceProtocol.Version)
            return (null, $"Protocol version {request.ProtocolVersion} is not spoken here; this server speaks {DeviceProtocol.Version}.");
        if (string.IsNullOrEmpty(request.ProvisioningKey) || request.ProvisioningKey.Length > 200)
            return (null, Provisioning.UnknownKey);

        await using var db = await dbs.CreateDbContextAsync(ct);
        // The key is looked up before the write transaction: a caller without a usable one never takes the write lock.
        var hash = Secret.Hash(request.ProvisioningKey);
        var now = clock.GetUtcNow();
        var known = await db.ProvisioningKeys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyHash == hash, ct);
        if (known is null) return (null, Provisioning.UnknownKey);
        if (known.Refusal(now) is { } spent) return (null, spent);

        // Read again inside the transaction: its uses are counted there, so two devices cannot share a key's last use.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var key = await db.ProvisioningKeys.SingleAsync(k => k.KeyHash == hash, ct);
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == key.ApplicationId, ct);
        if (application is null) return (null, Provisioning.UnknownKey);
        var organization = await db.Organizations.SingleAsync(o => o.Id == application.OrganizationId, ct);
        var starterDevices = application.Type == ApplicationType.Starter
            ? await db.Devices.CountAsync(d => db.Applications.Any(a =>
                a.Id == d.ApplicationId && a.OrganizationId == organization.Id && a.Type == ApplicationType.Starter), ct)
            : 0;

        var wanted = new RegistrationRequest(request.DeviceType, request.Name, request.HostOsVersion, request.AgentVersion);
        var decision = Provisioning.Check(organization, application, key, wanted, starterDevices, now);
        if (!decision.IsAllowed) return (null, decision.Refusal);

        var (device, credential) = Provisioning.Register(application, key, wanted, now);
        db.Devices.Add(device);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        feed.Publish(new DeviceEvent(device.Id, device.ApplicationId, now) { Status = device.StatusAt(now) });
        return (new RegisterResponse(device.Uuid, device.Name, credential, (int)device.PollInterval.TotalSeconds), null);
    }
}
