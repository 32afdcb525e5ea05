using System.Security.Claims;
using FleetDashboard.Core.Organizations;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

public sealed record OrganizationPerson(string Email, string DisplayName, OrganizationRole Role)
{
    public string UserId { get; init; } = "";
}

/// <summary>An organization the user belongs to: its people and the applications of it the user may see.</summary>
public sealed record OrganizationDetails(int Id, string Name, OrganizationPlan Plan, OrganizationRole Role,
    IReadOnlyList<OrganizationPerson> People, IReadOnlyList<ApplicationSummary> Applications)
{
    /// <summary>Offered the "Create application" form; the core decides again on every attempt.</summary>
    public bool IsAdministrator => Role == OrganizationRole.Administrator;

    /// <summary>The invitations still pending, to the organization and its applications; for its administrators only.</summary>
    public IReadOnlyList<PendingInvitation> Invitations { get; init; } = [];

    /// <summary>The one administrator left, whom the core will neither demote nor remove; null while there are more.</summary>
    public string? LastAdministrator => People.Count(p => p.Role == OrganizationRole.Administrator) == 1
        ? People.Single(p => p.Role == OrganizationRole.Administrator).UserId
        : null;
}

/// <summary>
/// An organization an application could be transferred to: whether the user administers it and whether it holds an
/// application of the same name yet (facts for the page's links; whether the transfer may go is the core's to say).
/// </summary>
public sealed record TransferTarget(int Id, string Name, OrganizationPlan Plan, bool YouAdminister, bool HasApplicationOfThatName);

/// <summary>Where an application is now, and the organizations it could go to.</summary>
public sealed record TransferChoices(string From, IReadOnlyList<TransferTarget> Targets);

public sealed partial class FleetQueries
{
    /// <summary>The organizations the user is a member of, administrators first in each, with the applications they may see.</summary>
    public async Task<IReadOnlyList<OrganizationDetails>> OrganizationsAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var mine = (await ApplicationsAsync(user, ct)).Where(o => o.Role is not null).ToList();
        var ids = mine.Select(o => o.Id).ToList();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var people = await db.OrganizationMembers.Where(m => ids.Contains(m.OrganizationId))
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.OrganizationId, m.UserId, u.Email, u.DisplayName, m.Role })
            .ToListAsync(ct);
        var administered = mine.Where(o => o.Role == OrganizationRole.Administrator).Select(o => o.Id).ToList();
        var invitations = await PendingInvitationsAsync(db, i => administered.Contains(i.OrganizationId), ct);
        return mine.Select(o => new OrganizationDetails(o.Id, o.Name, o.Plan, o.Role!.Value,
                people.Where(p => p.OrganizationId == o.Id)
                    .OrderByDescending(p => p.Role).ThenBy(p => p.Email, StringComparer.OrdinalIgnoreCase)
                    .Select(p => new OrganizationPerson(p.Email ?? "", p.DisplayName, p.Role) { UserId = p.UserId }).ToList(),
                o.Applications) { Invitations = invitations.Where(i => i.OrganizationId == o.Id).ToList() })
            .ToList();
    }

    /// <summary>
    /// The organizations other than its own that the user could transfer an application to: those they are a member
    /// of, or hold a membership in one of whose applications. Null when the application is not visible to them.
    /// </summary>
    public async Task<TransferChoices?> TransferChoicesAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        if (application is null || !(await db.AccessAsync(actor, application, clock.GetUtcNow(), ct)).CanSee) return null;
        var from = await db.Organizations.Where(o => o.Id == application.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        var targets = await db.Organizations.AsNoTracking()
            .Where(o => o.Id != application.OrganizationId
                        && (db.OrganizationMembers.Any(m => m.OrganizationId == o.Id && m.UserId == actor.UserId)
                            || db.ApplicationMembers.Any(m => m.UserId == actor.UserId
                                                              && db.Applications.Any(a => a.Id == m.ApplicationId && a.OrganizationId == o.Id))))
            .OrderBy(o => o.Name)
            .Select(o => new TransferTarget(o.Id, o.Name, o.Plan,
                db.OrganizationMembers.Any(m => m.OrganizationId == o.Id && m.UserId == actor.UserId && m.Role == OrganizationRole.Administrator),
                // Only an administrator of the target may learn what it holds.
                db.OrganizationMembers.Any(m => m.OrganizationId == o.Id && m.UserId == actor.UserId && m.Role == OrganizationRole.Administrator)
                && db.Applications.Any(a => a.OrganizationId == o.Id && a.Name.ToUpper() == application.Name.ToUpper())))
            .ToListAsync(ct);
        return new TransferChoices(from, targets);
    }
}
