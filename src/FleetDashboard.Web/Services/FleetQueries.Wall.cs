using System.Security.Claims;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>One wall display link as its application's administrators see it; the token itself is never kept.</summary>
public sealed record WallLinkRow(int Id, int? SavedViewId, string? ViewName, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt, string? RevokedBy, string? RevokedThrough)
{
    public bool IsActive => RevokedAt is null;
}

public sealed record SavedViewChoice(int Id, string Name);

/// <summary>An application's wall links and the saved views a new one may show.</summary>
public sealed record WallLinks(IReadOnlyList<WallLinkRow> Links, IReadOnlyList<SavedViewChoice> Views);

/// <summary>One cell of the wall's device grid.</summary>
public sealed record WallDevice(int Id, string Name, DeviceStatus Status);

/// <summary>"kiosk-12 went offline", at a time.</summary>
public sealed record WallChange(int DeviceId, string DeviceName, DeviceStatus Status, string What, DateTimeOffset At);

/// <summary>What a wall screen shows: the application (or one of its views), its devices, their latest changes.</summary>
public sealed record WallScreen(int LinkId, int ApplicationId, string ApplicationName, string? ViewName,
    IReadOnlyList<WallDevice> Devices, IReadOnlyList<WallChange> LatestChanges, DateTimeOffset At);

/// <summary>The devices a wall asked about again: those still on it, as they are now. Null: the link is gone.</summary>
public sealed record WallRecheck(IReadOnlyList<WallDevice> Devices, DateTimeOffset At);

public sealed partial class FleetQueries
{
    /// <summary>How many changes a wall's feed shows.</summary>
    public const int WallChangeCount = 20;

    /// <summary>The wall links of an application and its saved views; null unless the user administers it.</summary>
    public async Task<WallLinks?> WallLinksAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        if (application is null || (await db.AccessAsync(actor, application, now, ct)).Role != ApplicationRole.Administrator)
            return null;

        var views = await db.SavedViews.Where(v => v.ApplicationId == applicationId).OrderBy(v => v.Name)
            .Select(v => new SavedViewChoice(v.Id, v.Name)).ToListAsync(ct);
        var links = await db.WallDisplayLinks.AsNoTracking().Where(l => l.ApplicationId == applicationId).ToListAsync(ct);

        // The link keeps when it was revoked; who did it is in the history, in the run made at that very instant
        // (a revoke, or a transfer or deletion that revoked every link at once).
        var revokedAts = links.Where(l => l.RevokedAt is not null).Select(l => l.RevokedAt!.Value).Distinct().ToList();
        var runs = await db.ActionRuns.AsNoTracking()
            .Where(r => r.ApplicationId == applicationId && r.Refusal == null && revokedAts.Contains(r.At))
            .Select(r => new { r.At, r.ActorEmail, r.Action, r.Options }).ToListAsync(ct);

        var viewNames = views.ToDictionary(v => v.Id, v => v.Name);
        return new WallLinks(links
            .OrderBy(l => l.IsActive ? 0 : 1).ThenByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id)
            .Select(l =>
            {
                var run = runs.Where(r => r.At == l.RevokedAt).OrderBy(r => r.Options == $"link #{l.Id}" ? 0 : 1).FirstOrDefault();
                return new WallLinkRow(l.Id, l.SavedViewId, l.SavedViewId is { } v ? viewNames.GetValueOrDefault(v) : null,
                    l.CreatedBy, l.CreatedAt, l.RevokedAt, run?.ActorEmail,
                    run is null || run.Options == $"link #{l.Id}" ? null : run.Action);
            })
            .ToList(), views);
    }

    /// <summary>
    /// What the wall screen of a link shows; null when the token is unknown or revoked (the two look the same).
    /// The token is the credential: anyone holding it may watch, and no one is signed in.
    /// </summary>
    public async Task<WallScreen?> WallAsync(string token, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        if (await OpenWallAsync(db, token, ct) is not (var link, var view)) return null;
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == link.ApplicationId, ct);
        if (application is null) return null;

        var devices = await WallDevicesQuery(db, link, view, now).ToListAsync(ct);
        var cells = devices.Select(d => new WallDevice(d.Id, d.Name, d.StatusAt(now)))
            .OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id).ToList();
        var changes = devices.Select(d => LastKnownChange(d, now)).OfType<WallChange>()
            .OrderByDescending(c => c.At).Take(WallChangeCount).ToList();
        return new WallScreen(link.Id, application.Id, application.Name, view?.Name, cells, changes, now);
    }

    /// <summary>
    /// The given devices of a link's wall as they are now, those its application (and view) no longer lists
    /// left out: what a wall asks when the feed tells it of changes. Null when the link is unknown or revoked.
    /// </summary>
    public async Task<WallRecheck?> WallRecheckAsync(string token, IReadOnlyCollection<int> deviceIds, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        if (await OpenWallAsync(db, token, ct) is not (var link, var view)) return null;
        var ids = deviceIds.Distinct().ToList();
        var devices = await WallDevicesQuery(db, link, view, now).Where(d => ids.Contains(d.Id)).ToListAsync(ct);
        return new WallRecheck(devices.Select(d => new WallDevice(d.Id, d.Name, d.StatusAt(now))).ToList(), now);
    }

    /// <summary>Whether a token still opens a wall: the cheap check a wall makes between full loads.</summary>
    public async Task<bool> WallLinkActiveAsync(string token, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await OpenWallAsync(db, token, ct) is not null;
    }

    /// <summary>
    /// The active link a token opens and the view it shows (null: the whole application). A link made for a view
    /// whose view is gone opens nothing: an anonymous screen never shows more than it was made for.
    /// </summary>
    private static async Task<(WallDisplayLink Link, SavedView? View)?> OpenWallAsync(FleetDbContext db, string token, CancellationToken ct)
    {
        // Tokens are 43 characters; anything far longer is not one, and is not worth hashing.
        if (string.IsNullOrWhiteSpace(token) || token.Length > 256) return null;
        var hash = Secret.Hash(token);
        var link = await db.WallDisplayLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash && l.RevokedAt == null, ct);
        if (link?.SavedViewId is not { } viewId) return link is null ? null : (link, null);
        var view = await db.SavedViews.AsNoTracking().SingleOrDefaultAsync(v => v.Id == viewId && v.ApplicationId == link.ApplicationId, ct);
        return view is null ? null : (link, view);
    }

    /// <summary>The link's devices, filtered in the store by its view's filters (SQL, not memory).</summary>
    private static IQueryable<Device> WallDevicesQuery(FleetDbContext db, WallDisplayLink link, SavedView? view, DateTimeOffset now) =>
        db.Listed(link.ApplicationId, view?.Filters ?? [], now);

    /// <summary>
    /// The latest change the store knows of a device, for a wall's feed before anything happens live: when its
    /// connection opened or closed, when its heartbeat ran out, when it was deactivated or provisioned.
    /// </summary>
    private static WallChange? LastKnownChange(Device device, DateTimeOffset now)
    {
        var status = device.StatusAt(now);
        DateTimeOffset? at = status switch
        {
            DeviceStatus.Inactive => device.DeactivatedAt,
            DeviceStatus.PostProvisioning => device.ProvisionedAt,
            DeviceStatus.Offline => device.DisconnectedAt is { } closed && closed >= (device.LastContactAt ?? closed)
                ? closed
                : device.LastContactAt + DeviceStatusRules.OnlineWindow(device.PollInterval),
            _ => device.ConnectedAt,
        };
        return at is { } when ? new WallChange(device.Id, device.Name, status, WallChangeText(status, null), when) : null;
    }

    /// <summary>What a wall's feed says of a device that now has <paramref name="status"/>.</summary>
    public static string WallChangeText(DeviceStatus status, DeviceStatus? before) => (before, status) switch
    {
        (DeviceStatus.Updating, DeviceStatus.Online) => "finished updating",
        (DeviceStatus.Configuring, DeviceStatus.Online) => "finished its host OS update",
        (_, DeviceStatus.Online) => "came online",
        (_, DeviceStatus.Offline) => "went offline",
        (_, DeviceStatus.Updating) => "started updating",
        (_, DeviceStatus.Configuring) => "started a host OS update",
        (_, DeviceStatus.Inactive) => "was deactivated",
        _ => "was provisioned",
    };
}
