using System.Linq.Expressions;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>An invitation not yet used, revoked or expired: whom it is for, as what, where, from whom, until when.</summary>
public sealed record PendingInvitation(int Id, int OrganizationId, string Email, string Role, string? ApplicationName, string InvitedBy,
    DateTimeOffset ExpiresAt);

public sealed partial class FleetQueries
{
    /// <summary>The pending invitations <paramref name="which"/> picks, newest first, with the names of the applications they open.</summary>
    private async Task<IReadOnlyList<PendingInvitation>> PendingInvitationsAsync(FleetDbContext db, Expression<Func<Invitation, bool>> which,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var invitations = await db.Invitations.AsNoTracking().Where(which)
            .Where(i => i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt).ToListAsync(ct);
        var applicationIds = invitations.Where(i => i.ApplicationId != null).Select(i => i.ApplicationId!.Value).Distinct().ToList();
        var names = await db.Applications.Where(a => applicationIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return invitations.Select(i => new PendingInvitation(i.Id, i.OrganizationId, i.Email, i.RoleText,
                i.ApplicationId is { } id ? names.GetValueOrDefault(id, $"application #{id}") : null, i.InvitedBy, i.ExpiresAt))
            .ToList();
    }
}
