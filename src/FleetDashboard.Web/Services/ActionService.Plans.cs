using System.Security.Claims;
using FleetDashboard.Core.Actions;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>What an action on the application itself would do, for the confirmation dialog.</summary>
public sealed record ApplicationActionPlan(ApplicationAction Action, Decision Decision, int DeviceCount)
{
    public IReadOnlyList<string> Warnings => ActionWarnings.For(Action, DeviceCount);
}

public sealed partial class ActionService
{
    /// <summary>Asks the policy about an application action now. Changes and records nothing.</summary>
    public async Task<ApplicationActionPlan> PlanAsync(ClaimsPrincipal user, int applicationId, ApplicationAction action,
        CancellationToken ct = default)
    {
        RefuseWhatHasItsOwnCall(action);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        var access = application is null ? null : await db.AccessAsync(actor, application, now, ct);
        if (application is null || access is not { CanSee: true })
            return new ApplicationActionPlan(action, Decision.Refuse(FleetLoading.NotVisible(applicationId)), 0);
        var context = await db.ContextAsync(application, now, ct);
        return new ApplicationActionPlan(action, FleetPolicy.Decide(access, action, context), context.Devices.Count);
    }
}
