using System.Security.Claims;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>Everything the device page shows about one device.</summary>
public sealed record DeviceDetails(DeviceRow Row, int ApplicationId, string ApplicationName, ApplicationType ApplicationType,
    ApplicationRole? Role)
{
    public Architecture Architecture => DeviceType.Get(Row.DeviceType).Architecture;
    public DateTimeOffset ProvisionedAt { get; init; }
    public DateTimeOffset? ConnectedAt { get; init; }
    public FleetVersion? TargetHostOs { get; init; }
    public DeviceProgress Progress { get; init; }
    public int? ProgressPercent { get; init; }
    public bool LocalMode { get; init; }
    public bool UpdateLockHeld { get; init; }
    public bool LockOverride { get; init; }
    public DateTimeOffset? DeactivatedAt { get; init; }

    /// <summary>Until when support staff may see this device, by a grant on it that is in force now.</summary>
    public DateTimeOffset? SupportUntil { get; init; }

    /// <summary>Until when support staff may see the whole application.</summary>
    public DateTimeOffset? FleetSupportUntil { get; init; }

    /// <summary>The version of the release the device is pinned to (it installs that one, not the target); null: it follows the target.</summary>
    public string? PinnedRelease { get; init; }
}

public sealed partial class FleetQueries
{
    /// <summary>One device with everything its page shows; null when it does not exist or the user may not see it.</summary>
    public async Task<DeviceDetails?> DeviceDetailsAsync(ClaimsPrincipal user, int deviceId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var device = await db.Devices.AsNoTracking().Include(d => d.Tags).SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null || !await db.CanSeeDeviceAsync(actor, device, now, ct)) return null;
        var application = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == device.ApplicationId, ct);
        var access = await db.AccessAsync(actor, application, now, ct);
        var grants = await db.SupportGrants.AsNoTracking()
            .Where(g => (g.DeviceId == device.Id || g.ApplicationId == application.Id) && g.RevokedAt == null && g.Until > now)
            .ToListAsync(ct);
        return new DeviceDetails(Row(device, now), application.Id, application.Name, application.Type, access.Role)
        {
            ProvisionedAt = device.ProvisionedAt,
            ConnectedAt = device.ConnectedAt,
            TargetHostOs = device.TargetHostOsVersion,
            Progress = device.ProgressAt(now),
            ProgressPercent = device.ProgressPercentAt(now),
            LocalMode = device.LocalMode,
            UpdateLockHeld = device.UpdateLockHeld,
            LockOverride = device.LockOverride,
            DeactivatedAt = device.DeactivatedAt,
            SupportUntil = grants.Where(g => g.DeviceId == device.Id).Max(g => (DateTimeOffset?)g.Until),
            FleetSupportUntil = grants.Where(g => g.ApplicationId == application.Id).Max(g => (DateTimeOffset?)g.Until),
            PinnedRelease = device.PinnedReleaseId is { } pinned
                ? await db.Releases.Where(r => r.Id == pinned).Select(r => r.Version).SingleOrDefaultAsync(ct)
                : null,
        };
    }
}
