using System.Security.Claims;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>
/// One release of an application: what it is, whether it is the application's target, how many of its devices run it
/// now and how many are pinned to it.
/// </summary>
public sealed record ReleaseRow(int Id, string Commit, DateTimeOffset CreatedAt, string CreatedBy, bool IsTarget)
{
    public string Version { get; init; } = Commit;
    public string Note { get; init; } = "";
    public IReadOnlyDictionary<string, string> Services { get; init; } = new Dictionary<string, string>();
    public int Running { get; init; }
    public int Pinned { get; init; }

    /// <summary>"1.4.0 (4f2a9c1)", or the commit alone when it is the version too.</summary>
    public string Label => Version == Commit ? Commit : $"{Version} ({Commit[..Math.Min(7, Commit.Length)]})";
}

public sealed partial class FleetQueries
{
    /// <summary>An application's releases, newest first; empty when the user may not see it.</summary>
    public async Task<IReadOnlyList<ReleaseRow>> ReleasesAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        if (application is null || !(await db.AccessAsync(actor, application, clock.GetUtcNow(), ct)).CanSee) return [];
        var releases = await db.Releases.AsNoTracking().Where(r => r.ApplicationId == applicationId).ToListAsync(ct);
        // Counted in the store: a fleet of thousands is two grouped counts, not thousands of rows.
        var devices = db.Devices.Where(d => d.ApplicationId == applicationId);
        var running = await devices.Where(d => d.ReleaseCommit != null).GroupBy(d => d.ReleaseCommit!)
            .Select(g => new { Commit = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Commit, g => g.Count, ct);
        var pinned = await devices.Where(d => d.PinnedReleaseId != null).GroupBy(d => d.PinnedReleaseId!.Value)
            .Select(g => new { Id = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Id, g => g.Count, ct);
        return releases.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(r => new ReleaseRow(r.Id, r.Commit, r.CreatedAt, r.CreatedBy, r.Id == application.TargetReleaseId)
            {
                Version = r.Version, Note = r.Note, Services = r.Services,
                Running = running.GetValueOrDefault(r.Commit), Pinned = pinned.GetValueOrDefault(r.Id),
            })
            .ToList();
    }
}
