using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

// Transferring an application to another organization: the plan the Transfer page shows, and the transfer itself.
public sealed partial class ActionService
{
    /// <summary>
    /// Whether the transfer to <paramref name="targetOrganizationId"/> would go through now, and if not the core's
    /// reason (no placeholder there, the placeholder is not empty, no role on it, the target's plan…). Records nothing.
    /// </summary>
    public async Task<Decision> PlanTransferAsync(ClaimsPrincipal user, int applicationId, int targetOrganizationId,
        CancellationToken ct = default) =>
        (await PlanTransfersAsync(user, applicationId, [targetOrganizationId], ct))[targetOrganizationId];

    /// <summary>
    /// <see cref="PlanTransferAsync"/> for several organizations at once: the application (every device of it) is
    /// loaded once, not once per organization.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, Decision>> PlanTransfersAsync(ClaimsPrincipal user, int applicationId,
        IReadOnlyList<int> targetOrganizationIds, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        var access = application is null ? null : await db.AccessAsync(actor, application, now, ct);
        if (application is null || access is not { CanSee: true })
            return targetOrganizationIds.Distinct().ToDictionary(id => id, _ => Decision.Refuse(FleetLoading.NotVisible(applicationId)));
        var context = await db.ContextAsync(application, now, ct);
        var decisions = new Dictionary<int, Decision>();
        foreach (var target in targetOrganizationIds.Distinct())
        {
            // The same action the transfer builds, weighed by the same policy; nothing loaded here is ever saved.
            var action = await TransferTo(db, new Source(actor, context), target, ct);
            decisions[target] = FleetPolicy.Decide(access, action, context);
        }
        return decisions;
    }

    /// <summary>Transfers the application to the organization that holds an empty placeholder of the same name.</summary>
    public async Task<ActionRun> TransferAsync(ClaimsPrincipal user, int applicationId, int targetOrganizationId,
        CancellationToken ct = default) =>
        (await RunOnApplicationAsync(user, applicationId,
            async (db, source) => await TransferTo(db, source, targetOrganizationId, ct), ct)).Run;

    /// <summary>The transfer with the facts this service loads itself: the target, its placeholder and the actor's access there.</summary>
    private static async Task<TransferApplication> TransferTo(FleetDbContext db, Source source, int targetOrganizationId,
        CancellationToken ct)
    {
        var actor = source.Actor;
        var target = await db.Organizations.SingleOrDefaultAsync(o => o.Id == targetOrganizationId, ct);
        var placeholderApp = target is null ? null : await db.Applications.SingleOrDefaultAsync(
            a => a.OrganizationId == target.Id && a.Name.ToUpper() == source.Context.Application.Name.ToUpper(), ct);
        var knowsTarget = target is not null && (
            await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == target.Id && m.UserId == actor.UserId, ct)
            || (placeholderApp is not null && await db.ApplicationMembers.AnyAsync(m => m.ApplicationId == placeholderApp.Id && m.UserId == actor.UserId, ct)));
        // Someone with no place in the target organization learns nothing of it, not even its name.
        if (!knowsTarget)
            return new TransferApplication(new Organization { Id = targetOrganizationId, Name = $"organization #{targetOrganizationId}" }, null, null);
        if (placeholderApp is null) return new TransferApplication(target!, null, null);
        var placeholder = await db.ContextAsync(placeholderApp, source.Context.Now, ct);
        return new TransferApplication(target!, placeholder, await db.AccessAsync(actor, placeholderApp, source.Context.Now, ct));
    }
}
