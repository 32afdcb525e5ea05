using System.Security.Claims;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

public sealed record ReleaseRow(int Id, string Commit, DateTimeOffset CreatedAt, string CreatedBy, bool IsTarget);

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
        return releases.OrderByDescending(r => r.CreatedAt)
            .Select(r => new ReleaseRow(r.Id, r.Commit, r.CreatedAt, r.CreatedBy, r.Id == application.TargetReleaseId))
            .ToList();
    }
}
