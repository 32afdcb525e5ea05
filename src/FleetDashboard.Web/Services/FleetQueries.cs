using System.Security.Claims;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

public sealed record ApplicationSummary(int Id, string Name, ApplicationType Type, string DefaultDeviceType,
    ApplicationRole Role, IReadOnlyDictionary<DeviceStatus, int> DeviceCounts)
{
    public int DeviceTotal => DeviceCounts.Values.Sum();

    /// <summary>The release every device should run, when one is set (filled for one application's page).</summary>
    public string? TargetRelease { get; init; }

    /// <summary>Until when support staff may see the application, by a grant in force (filled for one application's page).</summary>
    public DateTimeOffset? SupportUntil { get; init; }
}

public sealed record OrganizationSummary(int Id, string Name, OrganizationPlan Plan, OrganizationRole? Role,
    IReadOnlyList<ApplicationSummary> Applications);

public sealed record DeviceRow(int Id, string Uuid, string Name, string DeviceType, DeviceStatus Status,
    FleetVersion HostOs, FleetVersion Agent, string? Release, DateTimeOffset? LastSeen, string IpAddresses,
    bool PublicUrl, IReadOnlyDictionary<string, string?> Tags);

/// <summary>What pages read. Each call re-reads the actor and shows only what they may see.</summary>
public sealed partial class FleetQueries(IDbContextFactory<FleetDbContext> dbs, TimeProvider clock)
{
    /// <summary>The organizations and applications the user may see, with device counts per status.</summary>
    public async Task<IReadOnlyList<OrganizationSummary>> ApplicationsAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var orgRoles = await db.OrganizationMembers.Where(m => m.UserId == actor.UserId)
            .ToDictionaryAsync(m => m.OrganizationId, m => m.Role, ct);
        var memberRoles = await db.ApplicationMembers.Where(m => m.UserId == actor.UserId)
            .ToDictionaryAsync(m => m.ApplicationId, m => m.Role, ct);
        var grantedApps = actor.IsSupportStaff
            ? (await db.SupportGrants.Where(g => g.ApplicationId != null && g.RevokedAt == null && g.Until > now)
                .Select(g => g.ApplicationId!.Value).ToListAsync(ct)).ToHashSet()
            : [];

        var adminOrgs = orgRoles.Where(r => r.Value == OrganizationRole.Administrator).Select(r => r.Key).ToList();
        var reachable = memberRoles.Keys.Concat(grantedApps).ToList();
        var candidates = await db.Applications.AsNoTracking()
            .Where(a => adminOrgs.Contains(a.OrganizationId) || reachable.Contains(a.Id))
            .ToListAsync(ct);

        var visible = candidates
            .Select(a => (App: a, Access: ApplicationAccess.Of(actor, orgRoles.TryGetValue(a.OrganizationId, out var o) ? o : null,
                memberRoles.TryGetValue(a.Id, out var m) ? m : null, grantedApps.Contains(a.Id))))
            .Where(x => x.Access.CanSee)
            .ToList();
        var ids = visible.Select(v => v.App.Id).ToList();
        var counts = await db.Devices.Where(d => d.ApplicationId != null && ids.Contains(d.ApplicationId.Value))
            .StatusCountsAsync(now, ct);

        var orgIds = visible.Select(v => v.App.OrganizationId).Concat(orgRoles.Keys).Distinct().ToList();
        var organizations = await db.Organizations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).OrderBy(o => o.Name).ToListAsync(ct);
        return organizations.Select(o => new OrganizationSummary(o.Id, o.Name, o.Plan,
                orgRoles.TryGetValue(o.Id, out var role) ? role : null,
                visible.Where(v => v.App.OrganizationId == o.Id).OrderBy(v => v.App.Name)
                    .Select(v => new ApplicationSummary(v.App.Id, v.App.Name, v.App.Type, v.App.DefaultDeviceType, v.Access.Role!.Value,
                        counts.TryGetValue(v.App.Id, out var c) ? c : new Dictionary<DeviceStatus, int>()))
                    .ToList()))
            .ToList();
    }

    /// <summary>One application, or null when it does not exist or the user may not see it (the two look the same).</summary>
    public async Task<ApplicationSummary?> ApplicationAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        if (application is null) return null;
        var access = await db.AccessAsync(actor, application, now, ct);
        if (!access.CanSee) return null;
        var statuses = (await db.Devices.Where(d => d.ApplicationId == applicationId).StatusCountsAsync(now, ct))
            .GetValueOrDefault(applicationId) ?? new Dictionary<DeviceStatus, int>();
        return new ApplicationSummary(application.Id, application.Name, application.Type, application.DefaultDeviceType,
            access.Role!.Value, statuses)
        {
            TargetRelease = await db.Releases.Where(r => r.Id == application.TargetReleaseId).Select(r => r.Commit).SingleOrDefaultAsync(ct),
            SupportUntil = await db.SupportGrants.Where(g => g.ApplicationId == applicationId && g.RevokedAt == null && g.Until > now)
                .MaxAsync(g => (DateTimeOffset?)g.Until, ct),
        };
    }

    /// <summary>One device, or null when it does not exist or the user may not see it.</summary>
    public async Task<DeviceRow?> DeviceAsync(ClaimsPrincipal user, int deviceId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var device = await db.Devices.AsNoTracking().Include(d => d.Tags).SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        return device is not null && await db.CanSeeDeviceAsync(actor, device, now, ct) ? Row(device, now) : null;
    }

    /// <summary>For support staff: the devices opened to them one by one, by grants in force now.</summary>
    public async Task<IReadOnlyList<DeviceRow>> DevicesOpenedToSupportAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        if (!actor.IsSupportStaff) return [];
        var devices = await db.Devices.AsNoTracking().Include(d => d.Tags)
            .Where(d => d.ApplicationId != null && db.SupportGrants.Any(g => g.DeviceId == d.Id && g.RevokedAt == null && g.Until > now))
            .OrderBy(d => d.Name).ToListAsync(ct);
        return devices.Select(d => Row(d, now)).ToList();
    }

    /// <summary>The devices of an application the user may see; empty when they may not.</summary>
    public async Task<IReadOnlyList<DeviceRow>> DevicesAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        if (application is null || !(await db.AccessAsync(actor, application, now, ct)).CanSee) return [];
        var devices = await db.Devices.AsNoTracking().Include(d => d.Tags)
            .Where(d => d.ApplicationId == applicationId).OrderBy(d => d.Name).ToListAsync(ct);
        return devices.Select(d => Row(d, now)).ToList();
    }

    /// <summary>
    /// One page of an application's device list, filtered and sorted in the store, with the number of devices
    /// the filters list in all; null when the application does not exist or the user may not see it.
    /// </summary>
    public async Task<DevicePage?> DevicePageAsync(ClaimsPrincipal user, DeviceListRequest request, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.ApplicationId, ct);
        if (application is null || !(await db.AccessAsync(actor, application, now, ct)).CanSee) return null;

        var listed = db.Listed(request.ApplicationId, request.Filters, now);
        var total = await listed.CountAsync(ct);
        var (skip, take) = (Math.Max(0, request.Skip), Math.Clamp(request.Take, 1, DeviceListRequest.MaxTake));
        // The page's ids first, then its rows: SQLite sorts only the sort keys and ids of every listed device, not
        // their whole rows (20,000 rows for "tag site is north, by last seen" at 100,000 devices).
        var ids = request is { Sort: DeviceSort.Tag, SortTag: { } tag }
            ? await listed.PageByTagAsync(db, request.ApplicationId, tag, request.Descending, skip, take, ct)
            : await listed.Sorted(request.Sort, request.Descending, now).Skip(skip).Take(take).Select(d => d.Id).ToListAsync(ct);
        var rows = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        return new DevicePage(ids.Where(rows.ContainsKey).Select(id => Row(rows[id], now)).ToList(), total);
    }

    private static DeviceRow Row(Device d, DateTimeOffset now) =>
        new(d.Id, d.Uuid, d.Name, d.DeviceType, d.StatusAt(now), d.HostOsVersion, d.AgentVersion, d.ReleaseCommit,
            d.LastContactAt, d.IpAddresses, d.PublicUrlEnabled, d.Tags.ToDictionary(t => t.Name, t => t.Value));

    /// <summary>The action runs of an application, newest first, with their outcomes; empty when not visible.</summary>
    public async Task<IReadOnlyList<ActionRun>> HistoryAsync(ClaimsPrincipal user, int applicationId, int take = 100,
        CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        if (application is null || !(await db.AccessAsync(actor, application, now, ct)).CanSee) return [];
        return await db.ActionRuns.AsNoTracking().Include(r => r.Outcomes)
            .Where(r => r.ApplicationId == applicationId).OrderByDescending(r => r.At).ThenByDescending(r => r.Id)
            .Take(take).ToListAsync(ct);
    }
}
