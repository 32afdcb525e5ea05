using System.Security.Claims;
using FleetDashboard.Core.Applications;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>One provisioning key as its application's developers see it; the secret itself is never kept.</summary>
public sealed record ProvisioningKeyRow(int Id, string Name, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    int Uses, int? MaxUses, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, ProvisioningKeyState State, string? Refusal)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>An application's keys and what a device of it is (the simulate command names its device type).</summary>
public sealed record ProvisioningKeys(IReadOnlyList<ProvisioningKeyRow> Keys, string DeviceType);

public sealed partial class FleetQueries
{
    /// <summary>The provisioning keys of an application, usable ones first; null unless the user is a Developer or above on it.</summary>
    public async Task<ProvisioningKeys?> ProvisioningKeysAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        if (application is null || (await db.AccessAsync(actor, application, now, ct)).Role is not >= ApplicationRole.Developer)
            return null;

        var keys = await db.ProvisioningKeys.AsNoTracking().Where(k => k.ApplicationId == applicationId).ToListAsync(ct);
        return new ProvisioningKeys(keys
            .Select(k => new ProvisioningKeyRow(k.Id, k.Name, k.CreatedBy, k.CreatedAt, k.ExpiresAt, k.Uses, k.MaxUses, k.LastUsedAt,
                k.RevokedAt, k.StateAt(now), k.Refusal(now)))
            .OrderBy(k => k.State).ThenByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            .ToList(), application.DefaultDeviceType);
    }
}
