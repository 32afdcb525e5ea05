using FleetDashboard.Agent.Protocol;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
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
            return (null, "The provisioning key is unknown or revoked.");

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var hash = Secret.Hash(request.ProvisioningKey);
        var key = await db.ProvisioningKeys.SingleOrDefaultAsync(k => k.KeyHash == hash, ct);
        var application = key is null ? null : await db.Applications.SingleOrDefaultAsync(a => a.Id == key.ApplicationId, ct);
        if (key is null || application is null) return (null, "The provisioning key is unknown or revoked.");

        var context = await db.ContextAsync(application, clock.GetUtcNow(), ct);
        var wanted = new RegistrationRequest(request.DeviceType, request.Name, request.HostOsVersion, request.AgentVersion);
        var decision = Provisioning.Check(context, key, wanted);
        if (!decision.IsAllowed) return (null, decision.Refusal);

        var (device, credential) = Provisioning.Register(context, wanted);
        db.Devices.Add(device);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        feed.Publish(new DeviceEvent(device.Id, device.ApplicationId, context.Now) { Status = device.StatusAt(context.Now) });
        return (new RegisterResponse(device.Uuid, device.Name, credential, (int)device.PollInterval.TotalSeconds), null);
    }
}
