using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// The one door through which pages (and scripts) act on the fleet. Every request, whatever its scope (a device,
/// a selection, an application, an organization), goes
/// through the same stages: load (<see cref="ActionLoading"/>: fresh from the store, never the page's copy),
/// decide (the core's <see cref="FleetPolicy"/>), record (<see cref="ActionRecording"/>: the run, refused ones
/// too) and deliver (<see cref="RunDelivery"/>). Loading, deciding and recording happen in one SQLite write
/// transaction, so two people cannot both pass a check that only one of them should (two deactivation fees,
/// an eleventh Starter device).
/// </summary>
public sealed class ActionService(IDbContextFactory<FleetDbContext> dbs, ActionLoading loading, RunDelivery delivery, RunNews news,
    ILogger<ActionService> logger)
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
            // What the person confirmed is what runs: a plan that changed since, or a name not typed, is refused and recorded.
            plan = loaded.Plan().ConfirmedBy(request.Confirmed);
            recorded = await ActionRecording.RecordAsync(db, loaded, plan, ct);
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
}
