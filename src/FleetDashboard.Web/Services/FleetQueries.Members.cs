using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>
/// One person on an application's members page: a member with their <paramref name="Role"/>, or an administrator of
/// the organization, who acts as Administrator whatever their membership says (<paramref name="Role"/> null when
/// they are not a member at all).
/// </summary>
public sealed record MemberRow(string UserId, string Email, string DisplayName, ApplicationRole? Role, bool IsOrganizationAdministrator)
{
    public bool IsMember => Role is not null;
}

/// <summary>An application's members, and whether the person looking may add, change and remove them.</summary>
public sealed record ApplicationMembers(IReadOnlyList<MemberRow> People, bool CanManage)
{
    /// <summary>The invitations to the application still pending; for those who manage its members only.</summary>
    public IReadOnlyList<PendingInvitation> Invitations { get; init; } = [];
}

public sealed partial class FleetQueries
{
    /// <summary>
    /// The members of an application and the administrators of its organization; null when the application does not
    /// exist, the user may not see it, or they are support staff (a grant opens devices to them, not the customer's people).
    /// </summary>
    public async Task<ApplicationMembers?> MembersAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        if (application is null || actor.IsSupportStaff) return null;
        var access = await db.AccessAsync(actor, application, now, ct);
        if (!access.CanSee) return null;

        var members = await db.ApplicationMembers.Where(m => m.ApplicationId == applicationId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.UserId, u.Email, u.DisplayName, Role = (ApplicationRole?)m.Role })
            .ToListAsync(ct);
        var administrators = await db.OrganizationMembers
            .Where(m => m.OrganizationId == application.OrganizationId && m.Role == OrganizationRole.Administrator)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.UserId, u.Email, u.DisplayName })
            .ToListAsync(ct);
        var administratorIds = administrators.Select(a => a.UserId).ToHashSet();
        var people = members
            .Select(m => new MemberRow(m.UserId, m.Email ?? "", m.DisplayName, m.Role, administratorIds.Contains(m.UserId)))
            .Concat(administrators.Where(a => members.All(m => m.UserId != a.UserId))
                .Select(a => new MemberRow(a.UserId, a.Email ?? "", a.DisplayName, null, true)))
            .OrderByDescending(p => p.IsOrganizationAdministrator).ThenByDescending(p => p.Role)
            .ThenBy(p => p.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
        // Whether the core would let them manage members at all; each change is decided again when made.
        var canManage = FleetPolicy.Permits(access, new RemoveMember("", ""), application.Name).IsAllowed;
        var invitations = canManage ? await PendingInvitationsAsync(db, i => i.ApplicationId == applicationId, ct) : [];
        return new ApplicationMembers(people, canManage) { Invitations = invitations };
    }
}
