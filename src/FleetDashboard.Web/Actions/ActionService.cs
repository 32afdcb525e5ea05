using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// The one door through which pages (and scripts) act on the fleet. Every request, whatever its scope, goes
/// through the same stages: load (<see cref="ActionLoading"/>: fresh from the store, never the page's copy),
/// decide (the core's <see cref="FleetPolicy"/>), record (<see cref="ActionRecording"/>: the run, refused ones
/// too) and deliver (<see cref="RunDelivery"/>). Loading, deciding and recording happen in one SQLite write
/// transaction, so two people cannot both pass a check that only one of them should (two deactivation fees,
/// an eleventh Starter device).
/// </summary>
public sealed class ActionService(IDbContextFactory<FleetDbContext> dbs, ActionLoading loading, RunDelivery delivery, RunNews news,
    TimeProvider clock, ILogger<ActionService> logger)
{
    /// <summary>What the request would do now, for a confirmation. Changes and records nothing.</summary>
    public async Task<ActionPlan> PlanAsync(ClaimsPrincipal user, ActionRequest request, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        return (await loading.LoadAsync(db, user, request, ct)).Plan();
    }

    /// <summary>
    /// Records the run and returns at once, while immediate actions are still being delivered: the run page shows
    /// their outcomes as they arrive (up to the 50 s answer window). A failure of the delivery after this point is
    /// logged; the devices it never answered for are recorded as timed out.
    /// </summary>
    public async Task<RecordedRun> StartAsync(ClaimsPrincipal user, ActionRequest request, CancellationToken ct = default)
    {
        var (recorded, snapshot, delivered) = await RecordAsync(user, request, ct);
        _ = delivered.ContinueWith(t => logger.LogError(t.Exception, "Delivering action run {RunId} failed.", recorded.Run.Id),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return snapshot;
    }

    /// <summary>Runs the request and returns once every targeted device has its outcome.</summary>
    public async Task<ActionRun> RunAsync(ClaimsPrincipal user, ActionRequest request, CancellationToken ct = default) =>
        (await IssueAsync(user, request, ct)).Run;

    /// <summary><see cref="RunAsync"/> for an action that makes a secret (a provisioning key, a wall link): it is in the result once and never again.</summary>
    public async Task<(ActionRun Run, string? Secret)> IssueAsync(ClaimsPrincipal user, ActionRequest request, CancellationToken ct = default)
    {
        var (recorded, _, delivered) = await RecordAsync(user, request, ct);
        await delivered;
        return (recorded.Run, recorded.Secret);
    }

    private async Task<(RecordedPlan Recorded, RecordedRun Snapshot, Task Delivered)> RecordAsync(ClaimsPrincipal user, ActionRequest request,
        CancellationToken ct)
    {
        RecordedPlan recorded;
        ActionPlan plan;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            // An immediate action writes nothing but its run: at 10,000 devices tracking them cost about a second
            // of a reboot's confirm-to-device time (benchmark B4), in the load and again in the save.
            if (request.Action is ImmediateDeviceAction) db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var loaded = await loading.LoadAsync(db, user, request, ct);
            plan = loaded.Plan();
            recorded = ActionRecording.Record(db, loaded, plan);
            await db.SaveChangesAsync(ct);
            await delivery.ExpectAnswersAsync(db, recorded, ct);
            await transaction.CommitAsync(ct);
        }
        var run = recorded.Run;
        // A move is news for the target's pages too: its devices appear there at once.
        news.Recorded(run, changedDevices: recorded.Immediate is null,
            alsoApplicationId: run.Refusal is null ? plan.Action.Mentions?.ApplicationId : null);
        var snapshot = RecordedRun.Of(run); // before the delivery starts adding to the run
        if (recorded.ToDeliver.Count == 0 && recorded.ToNudge.Count == 0) return (recorded, snapshot, Task.CompletedTask);
        // Off the caller's synchronization context: a circuit that closes must not take the delivery with it.
        return (recorded, snapshot, Task.Run(() => delivery.DeliverAsync(recorded), CancellationToken.None));
    }

    /// <summary>Creates an application in an organization (its administrators only).</summary>
    public async Task<(ActionRun Run, int? ApplicationId)> CreateApplicationAsync(ClaimsPrincipal user, int organizationId,
        CreateApplication request, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        var role = await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId && m.UserId == actor.UserId)
            .Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync(ct);
        var run = new ActionRun
        {
            At = now, ActorUserId = actor.UserId, ActorEmail = actor.Email, Scope = ActionScope.Organization,
            ActionKey = CreateApplication.Kind.Key, Action = request.Title, Options = request.Options, ApplicationName = request.Name,
        };
        Application? application = null;
        if (organization is null || role is null || actor.IsSupportStaff)
            run.Refusal = $"Organization #{organizationId} does not exist or you are not its administrator.";
        else
        {
            run.OrganizationId = organization.Id;
            var context = new OrganizationContext(organization, now)
            {
                ApplicationNames = await db.Applications.Where(a => a.OrganizationId == organizationId).Select(a => a.Name).ToListAsync(ct),
            };
            run.Refusal = FleetPolicy.Decide(role, request, context).Refusal;
            if (run.Refusal is null)
            {
                application = request.Create(context);
                db.Applications.Add(application);
                await db.SaveChangesAsync(ct);
                run.ApplicationId = application.Id;
            }
        }
        db.ActionRuns.Add(run);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (run, application?.Id);
    }
}
