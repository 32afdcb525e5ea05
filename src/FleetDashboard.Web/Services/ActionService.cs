using System.Security.Claims;
using FleetDashboard.Core;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>
/// What pages call to act on the fleet. Every call re-reads the actor and what it acts on, asks
/// <see cref="FleetPolicy"/> again, persists the change and records the action run — refused ones too.
/// Reading, deciding and writing happen in one SQLite write transaction, so two people cannot both pass
/// a check that only one of them should (two deactivation fees, an eleventh Starter device).
/// </summary>
public sealed partial class ActionService(IDbContextFactory<FleetDbContext> dbs, IDeviceDelivery delivery, DeviceFeed feed, TimeProvider clock,
    ILogger<ActionService> logger)
{
    // ---- device actions: one device, a group, or every device of an application ---------------------------

    /// <summary>What a device action would do, for the confirmation dialog. Changes and records nothing.</summary>
    public async Task<ActionPlan> PlanAsync(ClaimsPrincipal user, DeviceTargets targets, DeviceAction action,
        CancellationToken ct = default)
    {
        RefuseWhatHasItsOwnCall(action);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await PrepareAsync(db, user, targets, _ => Task.FromResult(action), changesDevices: false, ct)).Plan;
    }

    /// <summary>Runs a device action on the targets: settings are persisted, immediate actions delivered.</summary>
    public Task<ActionRun> RunAsync(ClaimsPrincipal user, DeviceTargets targets, DeviceAction action,
        CancellationToken ct = default)
    {
        RefuseWhatHasItsOwnCall(action);
        return RunDevicesAsync(user, targets, _ => Task.FromResult(action), ChangesDevices(action), ct);
    }

    public async Task<ActionPlan> PlanMoveAsync(ClaimsPrincipal user, DeviceTargets targets, int targetApplicationId,
        CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await PrepareAsync(db, user, targets, MoveTo(db, targetApplicationId, ct), changesDevices: false, ct)).Plan;
    }

    /// <summary>Moves devices to another application; the mover needs Operator on both.</summary>
    public Task<ActionRun> MoveAsync(ClaimsPrincipal user, DeviceTargets targets, int targetApplicationId,
        CancellationToken ct = default) =>
        RunDevicesAsync(user, targets, null, changesDevices: true, ct, targetApplicationId);

    // ---- actions on the application itself ---------------------------------------------------------------

    public async Task<ActionRun> RunAsync(ClaimsPrincipal user, int applicationId, ApplicationAction action,
        CancellationToken ct = default)
    {
        RefuseWhatHasItsOwnCall(action);
        return (await RunOnApplicationAsync(user, applicationId, (_, _) => Task.FromResult<ApplicationAction>(action), ct)).Run;
    }

    /// <summary>Makes a provisioning key; the key itself is in the result once and never again.</summary>
    public Task<(ActionRun Run, string? Key)> CreateProvisioningKeyAsync(ClaimsPrincipal user, int applicationId, string name,
        CancellationToken ct = default) =>
        RunOnApplicationAsync(user, applicationId, (_, _) => Task.FromResult<ApplicationAction>(new CreateProvisioningKey(name)), ct);

    /// <summary>Makes a wall display link; its token is in the result once and never again.</summary>
    public Task<(ActionRun Run, string? Key)> CreateWallDisplayLinkAsync(ClaimsPrincipal user, int applicationId, int? savedViewId,
        CancellationToken ct = default) =>
        RunOnApplicationAsync(user, applicationId, (_, _) => Task.FromResult<ApplicationAction>(new CreateWallDisplayLink(savedViewId)), ct);

    /// <summary>Adds a person, found by email, as a member of the application.</summary>
    public async Task<ActionRun> AddMemberAsync(ClaimsPrincipal user, int applicationId, string email, ApplicationRole role,
        CancellationToken ct = default) =>
        (await RunOnApplicationAsync(user, applicationId, async (db, _) =>
        {
            var normalized = email.Trim().ToUpperInvariant();
            var person = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => new { u.Id, u.Email }).SingleOrDefaultAsync(ct);
            // An unknown email still goes through the policy, so the refusal is recorded like any other.
            return person is null ? new AddMember("", email.Trim(), role) : new AddMember(person.Id, person.Email ?? email, role);
        }, ct)).Run;

    public async Task<ActionRun> ChangeMemberRoleAsync(ClaimsPrincipal user, int applicationId, string memberUserId,
        ApplicationRole role, CancellationToken ct = default) =>
        (await RunOnApplicationAsync(user, applicationId, async (db, _) =>
            new ChangeMemberRole(memberUserId, await EmailOfAsync(db, memberUserId, ct), role), ct)).Run;

    public async Task<ActionRun> RemoveMemberAsync(ClaimsPrincipal user, int applicationId, string memberUserId,
        CancellationToken ct = default) =>
        (await RunOnApplicationAsync(user, applicationId, async (db, _) =>
            new RemoveMember(memberUserId, await EmailOfAsync(db, memberUserId, ct)), ct)).Run;

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
            Action = request.Title, Options = request.Options, ApplicationName = request.Name,
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

    // ---- device actions, the work ----------------------------------------------------------------------------

    private sealed record Source(Actor Actor, ApplicationContext Context);

    private sealed record Prepared(Actor Actor, ActionPlan Plan, ApplicationContext? Context, DeviceTargets Targets, ActionRun? Refused);

    private async Task<ActionRun> RunDevicesAsync(ClaimsPrincipal user, DeviceTargets targets,
        Func<Source, Task<DeviceAction>>? build, bool changesDevices, CancellationToken ct, int? moveTo = null)
    {
        var (run, _, delivered) = await StartDevicesAsync(user, targets, build, changesDevices, ct, moveTo);
        await delivered;
        return run;
    }

    /// <summary>
    /// Records the run and starts delivering; the returned task ends when every device has its outcome. The
    /// context lives as long as the delivery, which owns it from then on.
    /// </summary>
    private async Task<(ActionRun Run, RecordedRun Recorded, Task Delivered)> StartDevicesAsync(ClaimsPrincipal user, DeviceTargets targets,
        Func<Source, Task<DeviceAction>>? build, bool changesDevices, CancellationToken ct, int? moveTo = null)
    {
        var db = await dbs.CreateDbContextAsync(ct);
        ActionRun run;
        List<Device> toDeliver;
        ImmediateDeviceAction? immediate;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var prepared = await PrepareAsync(db, user, targets, build ?? MoveTo(db, moveTo!.Value, ct), changesDevices, ct);
            (run, toDeliver, immediate) = Record(db, prepared);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
        // A move is news for the target's pages too: its devices appear there at once.
        PublishRun(run, run.Outcomes, changedDevices: immediate is null, alsoApplicationId: run.Refusal is null ? moveTo : null);
        var recorded = RecordedRun.Of(run); // before the delivery starts adding to the run
        // Off the caller's synchronization context: a circuit that closes must not take the delivery with it.
        return (run, recorded, Task.Run(() => DeliverAsync(db, run, immediate, toDeliver), CancellationToken.None));
    }

    private async Task DeliverAsync(FleetDbContext db, ActionRun run, ImmediateDeviceAction? immediate, List<Device> toDeliver)
    {
        await using var _ = db;
        if (toDeliver.Count == 0) return;
        // Outcomes are all that is written from here: the application loaded for the plan need not stay tracked.
        db.ChangeTracker.Clear();
        // The run is recorded: from here on every device gets its outcome, whatever becomes of the caller.
        if (immediate is not null) await RecordDeliveryAsync(db, run, immediate, toDeliver);
        else await delivery.NudgeAsync(toDeliver.Select(d => d.Id).ToList(), CancellationToken.None);
    }

    /// <summary>
    /// Loads what the policy looks at and asks it. <paramref name="changesDevices"/> false (a plan, an immediate
    /// action): nothing loaded here will be written, so nothing is tracked — at 10,000 devices tracking them cost
    /// about a second of a reboot's confirm-to-device time (benchmark B4), in the load and again in the save.
    /// </summary>
    private async Task<Prepared> PrepareAsync(FleetDbContext db, ClaimsPrincipal user, DeviceTargets targets,
        Func<Source, Task<DeviceAction>> build, bool changesDevices, CancellationToken ct)
    {
        if (!changesDevices) db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == targets.ApplicationId, ct);
        var access = application is null ? null : await db.AccessAsync(actor, application, now, ct);
        if (application is null || access is not { CanSee: true })
        {
            // Only the title and options of the action are recorded, so any stand-in will do for a move.
            var unseen = await build(new Source(actor, new ApplicationContext(new Organization { Name = "" },
                new Application { Id = targets.ApplicationId, Name = "", DefaultDeviceType = "generic-aarch64" }, now)));
            return Refused(actor, unseen, targets, now, null, FleetLoading.NotVisible(targets.ApplicationId), application is not null);
        }

        var context = await db.ContextAsync(application, now, ct);
        var action = await build(new Source(actor, context));
        var (devices, problem) = Resolve(context, targets);
        if (problem is not null) return Refused(actor, action, targets, now, context, problem, true);
        return new Prepared(actor, FleetPolicy.Plan(access, action, context, devices), context, targets, null);
    }

    private static Prepared Refused(Actor actor, DeviceAction action, DeviceTargets targets, DateTimeOffset now,
        ApplicationContext? context, string reason, bool applicationExists)
    {
        var run = FleetLoading.NewRun(actor, action, targets.Scope, now, context, applicationExists ? targets.ApplicationId : null);
        run.Refusal = reason;
        run.FilterText = DeviceSelection.Describe(targets.Filters);
        return new Prepared(actor, new ActionPlan(action, Decision.Refuse(reason), []), context, targets, run);
    }

    private Func<Source, Task<DeviceAction>> MoveTo(FleetDbContext db, int targetApplicationId, CancellationToken ct) =>
        async source =>
        {
            // Whenever the mover cannot see the target, the move names only its id.
            var unseen = new MoveDevice(
                new ApplicationContext(new Organization { Name = "" },
                    new Application { Id = targetApplicationId, Name = $"application #{targetApplicationId}", DefaultDeviceType = "generic-aarch64" }, source.Context.Now),
                new ApplicationAccess(source.Actor, null, null));
            var target = await db.Applications.SingleOrDefaultAsync(a => a.Id == targetApplicationId, ct);
            if (target is null) return unseen;
            var access = await db.AccessAsync(source.Actor, target, source.Context.Now, ct);
            return access.CanSee ? new MoveDevice(await db.ContextAsync(target, source.Context.Now, ct), access) : unseen;
        };

    /// <summary>The devices the targets name, resolved now; a device of another application refuses the whole request.</summary>
    private static (IReadOnlyList<Device> Devices, string? Problem) Resolve(ApplicationContext context, DeviceTargets targets)
    {
        if (targets.Scope == ActionScope.Application) return (context.Devices, null);
        if (targets.SelectAll) return (DeviceSelection.SelectAll(context.Devices, targets.Filters, context.Now), null);
        var byId = context.Devices.ToDictionary(d => d.Id);
        var missing = targets.DeviceIds.Where(id => !byId.ContainsKey(id)).ToList();
        if (missing.Count > 0)
            return ([], $"{missing.Count} of the chosen devices are not in {context.Application.Name} (#{string.Join(", #", missing.Take(5))}).");
        if (targets.DeviceIds.Count == 0) return ([], "No device was chosen.");
        return (targets.DeviceIds.Distinct().Select(id => byId[id]).ToList(), null);
    }

    /// <summary>The run with an outcome for every device known now; settings applied. What is left to deliver comes back.</summary>
    private static (ActionRun Run, List<Device> ToDeliver, ImmediateDeviceAction? Immediate) Record(FleetDbContext db, Prepared prepared)
    {
        if (prepared.Refused is not null)
        {
            db.ChangeTracker.Clear(); // refused: whatever the loading tracked stays as it was
            db.ActionRuns.Add(prepared.Refused);
            return (prepared.Refused, [], null);
        }

        var (actor, plan, context, targets, _) = prepared;
        var now = context!.Now;
        var run = FleetLoading.NewRun(actor, plan.Action, targets.Scope, now, context);
        run.FilterText = DeviceSelection.Describe(targets.Filters);
        run.DeviceCount = plan.Devices.Count;
        run.DeviceId = targets.Scope == ActionScope.Device ? targets.DeviceIds[0] : null;
        run.Refusal = plan.Decision.Refusal;
        foreach (var skipped in plan.Devices.Where(p => !p.WillRun))
            run.Outcomes.Add(Outcome(skipped.Device, skipped.Skip!.Kind, skipped.Skip.Reason, now));
        db.ActionRuns.Add(run);

        var toRun = plan.Decision.IsAllowed ? plan.ToRun.ToList() : [];
        if (plan.Action is ImmediateDeviceAction immediate) return (run, toRun, immediate);

        var effects = new ActionEffects(actor);
        foreach (var device in toRun)
        {
            plan.Action.Apply(device, context, effects);
            run.Outcomes.Add(Outcome(device, OutcomeKind.Succeeded, null, now));
        }
        Persist(db, effects);
        return (run, toRun, null);
    }

    /// <summary>
    /// Records each delivery outcome as it arrives: whatever has arrived is written at once, so the history
    /// is live even while a silent device is still being waited for; under a storm of answers the writes
    /// gather into batches by themselves. A device the delivery never answers for is recorded as timed out:
    /// no targeted device goes without an outcome.
    /// </summary>
    private async Task RecordDeliveryAsync(FleetDbContext db, ActionRun run, ImmediateDeviceAction action, IReadOnlyList<Device> devices)
    {
        var waiting = devices.ToDictionary(d => d.Id);
        var arrived = Channel.CreateUnbounded<DeliveryOutcome>(new UnboundedChannelOptions { SingleReader = true });
        var listening = Task.Run(async () =>
        {
            try
            {
                await foreach (var delivered in delivery.DeliverAsync(run.Id, action, devices, CancellationToken.None))
                    arrived.Writer.TryWrite(delivered);
            }
            finally
            {
                arrived.Writer.TryComplete();
            }
        });

        var batch = new List<ActionOutcome>();
        try
        {
            while (await arrived.Reader.WaitToReadAsync())
            {
                while (batch.Count < 500 && arrived.Reader.TryRead(out var delivered))
                    if (waiting.Remove(delivered.DeviceId, out var device)) // one answer per device, from the devices asked
                        batch.Add(Outcome(device, delivered.Kind, delivered.Reason, clock.GetUtcNow(), run.Id));
                await FlushAsync(db);
            }
            await listening;
        }
        finally
        {
            // Whatever happened above (a failed write, a failed delivery), no device goes without an outcome: what a
            // failed write left in the batch, and every device not answered for, are written by a fresh context.
            batch.AddRange(waiting.Values.Select(d => Outcome(d, OutcomeKind.TimedOut, "no answer from the delivery", clock.GetUtcNow(), run.Id)));
            await using var last = await dbs.CreateDbContextAsync(CancellationToken.None);
            await FlushAsync(last);
        }

        async Task FlushAsync(FleetDbContext to)
        {
            if (batch.Count == 0) return;
            to.ActionOutcomes.AddRange(batch);
            await to.SaveChangesAsync(CancellationToken.None);
            PublishOutcomes(run, batch, changedDevices: false);
            batch.Clear();
        }
    }

    // ---- application actions, the work -----------------------------------------------------------------

    private async Task<(ActionRun Run, string? Secret)> RunOnApplicationAsync(ClaimsPrincipal user, int applicationId,
        Func<FleetDbContext, Source, Task<ApplicationAction>> build, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        var access = application is null ? null : await db.AccessAsync(actor, application, now, ct);

        ActionRun run;
        var effects = new ActionEffects(actor);
        IReadOnlyList<Device> touched = [], nudged = [];
        if (application is null || access is not { CanSee: true })
        {
            var stand = new ApplicationContext(new Organization { Name = "" }, new Application { Id = applicationId, Name = "", DefaultDeviceType = "generic-aarch64" }, now);
            var unseen = await build(db, new Source(actor, stand));
            run = FleetLoading.NewRun(actor, unseen, ActionScope.Application, now, null, application is null ? null : applicationId);
            run.Refusal = FleetLoading.NotVisible(applicationId);
            db.ChangeTracker.Clear();
        }
        else
        {
            var context = await db.ContextAsync(application, now, ct);
            var action = await build(db, new Source(actor, context));
            var decision = FleetPolicy.Decide(access, action, context);
            run = FleetLoading.NewRun(actor, action, action.NeedsOrganizationAdministrator ? ActionScope.Organization : ActionScope.Application, now, context);
            run.Refusal = decision.Refusal;
            if (action.TouchesEveryDevice) touched = context.Devices;
            if (action.TouchesEveryDevice || action.ChangesTargetState) nudged = context.Devices;
            run.DeviceCount = touched.Count;
            foreach (var device in touched)
                run.Outcomes.Add(decision.IsAllowed
                    ? Outcome(device, OutcomeKind.Succeeded, null, now)
                    : Outcome(device, OutcomeKind.Refused, decision.Refusal, now));
            if (decision.IsAllowed)
            {
                action.Apply(context, effects);
                Persist(db, effects);
            }
            else db.ChangeTracker.Clear();
        }
        db.ActionRuns.Add(run);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        PublishRun(run, run.Outcomes, changedDevices: true);

        if (run.Refusal is null && nudged.Count > 0)
            await delivery.NudgeAsync(nudged.Select(d => d.Id).ToList(), CancellationToken.None);
        return (run, effects.SecretToShowOnce);
    }

    // ---- small pieces ---------------------------------------------------------------------------------------

    private static void Persist(FleetDbContext db, ActionEffects effects)
    {
        foreach (var added in effects.Added) db.Add(added);
        foreach (var removed in effects.Removed) db.Remove(removed);
    }

    /// <summary>
    /// A recorded run is news for the pages showing its application (its header, its history), and its outcomes
    /// for those showing the run or the devices. <paramref name="changedDevices"/>: a succeeded outcome changed
    /// the device's record.
    /// </summary>
    private void PublishRun(ActionRun run, IEnumerable<ActionOutcome> outcomes, bool changedDevices, int? alsoApplicationId = null)
    {
        foreach (var applicationId in new[] { run.ApplicationId, alsoApplicationId }.Where(a => a is not null).Distinct())
            feed.Publish(new DeviceEvent(DeviceEvent.TheApplication, applicationId, run.At) { ActionRunId = run.Id, ChangedDevice = changedDevices });
        PublishOutcomes(run, outcomes, changedDevices);
    }

    private void PublishOutcomes(ActionRun run, IEnumerable<ActionOutcome> outcomes, bool changedDevices)
    {
        foreach (var outcome in outcomes)
            feed.Publish(new DeviceEvent(outcome.DeviceId, run.ApplicationId, outcome.At)
            {
                ActionRunId = run.Id, Outcome = outcome.Kind, Reason = outcome.Reason,
                ChangedDevice = changedDevices && outcome.Kind == OutcomeKind.Succeeded,
            });
    }

    private static async Task<string> EmailOfAsync(FleetDbContext db, string userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct) ?? $"user {userId}";

    private static ActionOutcome Outcome(Device device, OutcomeKind kind, string? reason, DateTimeOffset at, long runId = 0) => new()
    {
        ActionRunId = runId, DeviceId = device.Id, DeviceUuid = device.Uuid, DeviceName = device.Name, Kind = kind, Reason = reason, At = at,
    };

    /// <summary>
    /// Moves and transfers carry facts about a second application or organization that only this service
    /// may load, so a caller cannot hand in a forged target; member changes name people this service looks
    /// up itself; keys and wall links make a secret that only their own call hands back.
    /// </summary>
    /// <summary>Settings change the device's record; an immediate action only goes to the device.</summary>
    private static bool ChangesDevices(DeviceAction action) => action is not ImmediateDeviceAction;

    private static void RefuseWhatHasItsOwnCall(FleetAction action)
    {
        if (action is MoveDevice or TransferApplication or AddMember or ChangeMemberRole or RemoveMember
            or CreateProvisioningKey or CreateWallDisplayLink)
            throw new FleetDomainException($"{action.Title} goes through its own call.");
    }
}
