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
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>
/// What pages call to act on the fleet. Every call re-reads the actor and what it acts on, asks
/// <see cref="FleetPolicy"/> again, persists the change and records the action run — refused ones too.
/// </summary>
public sealed class ActionService(IDbContextFactory<FleetDbContext> dbs, IDeviceDelivery delivery, TimeProvider clock)
{
    /// <summary>What a device action would do, for the confirmation dialog. Changes and records nothing.</summary>
    public async Task<ActionPlan> PlanAsync(ClaimsPrincipal user, DeviceTargets targets, DeviceAction action,
        CancellationToken ct = default)
    {
        RefuseWhatHasItsOwnCall(action);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var prepared = await PrepareAsync(db, user, targets, action, ct);
        return prepared.Plan;
    }

    /// <summary>Runs a device action on the targets: settings are persisted, immediate actions delivered.</summary>
    public async Task<ActionRun> RunAsync(ClaimsPrincipal user, DeviceTargets targets, DeviceAction action,
        CancellationToken ct = default)
    {
        RefuseWhatHasItsOwnCall(action);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await RunPreparedAsync(db, await PrepareAsync(db, user, targets, action, ct), ct);
    }

    public async Task<ActionPlan> PlanMoveAsync(ClaimsPrincipal user, DeviceTargets targets, int targetApplicationId,
        CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await PrepareMoveAsync(db, user, targets, targetApplicationId, ct)).Plan;
    }

    /// <summary>Moves devices to another application; the mover needs Operator on both.</summary>
    public async Task<ActionRun> MoveAsync(ClaimsPrincipal user, DeviceTargets targets, int targetApplicationId,
        CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await RunPreparedAsync(db, await PrepareMoveAsync(db, user, targets, targetApplicationId, ct), ct);
    }

    /// <summary>Runs an action on the application itself.</summary>
    public async Task<ActionRun> RunAsync(ClaimsPrincipal user, int applicationId, ApplicationAction action,
        CancellationToken ct = default)
    {
        RefuseWhatHasItsOwnCall(action);
        return (await RunOnApplicationAsync(user, applicationId, action, ct)).Run;
    }

    /// <summary>Makes a provisioning key; the key itself is in the result once and never again.</summary>
    public Task<(ActionRun Run, string? Key)> CreateProvisioningKeyAsync(ClaimsPrincipal user, int applicationId, string name,
        CancellationToken ct = default) =>
        RunOnApplicationAsync(user, applicationId, new CreateProvisioningKey(name), ct);

    /// <summary>Makes a wall display link; its token is in the result once and never again.</summary>
    public Task<(ActionRun Run, string? Key)> CreateWallDisplayLinkAsync(ClaimsPrincipal user, int applicationId, int? savedViewId,
        CancellationToken ct = default) =>
        RunOnApplicationAsync(user, applicationId, new CreateWallDisplayLink(savedViewId), ct);

    private async Task<(ActionRun Run, string? Key)> RunOnApplicationAsync(ClaimsPrincipal user, int applicationId,
        ApplicationAction action, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        var access = application is null ? null : await db.AccessAsync(actor, application, now, ct);
        if (application is null || access is not { CanSee: true })
            return (await RecordInvisibleAsync(db, actor, action, applicationId, now, ct), null);
        var context = await db.ContextAsync(application, now, ct);
        return await RunApplicationActionWithSecretAsync(db, actor, access, action, context, ct);
    }

    /// <summary>Adds a person, found by email, as a member of the application.</summary>
    public async Task<ActionRun> AddMemberAsync(ClaimsPrincipal user, int applicationId, string email, ApplicationRole role,
        CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var normalized = email.Trim().ToUpperInvariant();
        var person = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => new { u.Id, u.Email }).SingleOrDefaultAsync(ct);
        // An unknown email still goes through the policy, so the refusal is recorded like any other.
        return await RunAsync(user, applicationId,
            person is null ? new AddMember("", email.Trim(), role) : new AddMember(person.Id, person.Email ?? email, role), ct);
    }

    /// <summary>Transfers the application to the organization that holds an empty placeholder of the same name.</summary>
    public async Task<ActionRun> TransferAsync(ClaimsPrincipal user, int applicationId, int targetOrganizationId,
        CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        var access = application is null ? null : await db.AccessAsync(actor, application, now, ct);
        var target = await db.Organizations.SingleOrDefaultAsync(o => o.Id == targetOrganizationId, ct);
        if (application is null || access is not { CanSee: true })
            return await RecordInvisibleAsync(db, actor, new TransferApplication(target ?? new Organization { Name = $"#{targetOrganizationId}" }, null, null),
                applicationId, now, ct);
        var context = await db.ContextAsync(application, now, ct);
        if (target is null)
            return await RecordAsync(db, NewRefusedRun(actor, new TransferApplication(new Organization { Id = targetOrganizationId, Name = $"organization #{targetOrganizationId}" }, null, null),
                ActionScope.Organization, now, context, $"Organization #{targetOrganizationId} does not exist."), ct);

        var placeholderApp = await db.Applications.SingleOrDefaultAsync(
            a => a.OrganizationId == target.Id && a.Name == application.Name, ct);
        ApplicationContext? placeholder = null;
        ApplicationAccess? accessOnPlaceholder = null;
        if (placeholderApp is not null)
        {
            placeholder = await db.ContextAsync(placeholderApp, now, ct);
            accessOnPlaceholder = await db.AccessAsync(actor, placeholderApp, now, ct);
        }
        return await RunApplicationActionAsync(db, actor, access, new TransferApplication(target, placeholder, accessOnPlaceholder), context, ct);
    }

    /// <summary>Creates an application in an organization (its administrators only).</summary>
    public async Task<(ActionRun Run, int? ApplicationId)> CreateApplicationAsync(ClaimsPrincipal user, int organizationId,
        CreateApplication request, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        var role = await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId && m.UserId == actor.UserId)
            .Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync(ct);
        var run = new ActionRun
        {
            At = now, ActorUserId = actor.UserId, ActorEmail = actor.Email, OrganizationId = organizationId,
            ApplicationName = request.Name, Scope = ActionScope.Organization, Action = request.Title, Options = request.Options,
        };
        if (organization is null || actor.IsSupportStaff)
        {
            run.Refusal = $"Organization #{organizationId} does not exist or you are not its administrator.";
            return (await RecordAsync(db, run, ct), null);
        }
        var context = new OrganizationContext(organization, now)
        {
            ApplicationNames = await db.Applications.Where(a => a.OrganizationId == organizationId).Select(a => a.Name).ToListAsync(ct),
        };
        var decision = FleetPolicy.Decide(role, request, context);
        run.Refusal = decision.Refusal;
        if (!decision.IsAllowed) return (await RecordAsync(db, run, ct), null);

        var application = request.Create(context);
        db.Applications.Add(application);
        await db.SaveChangesAsync(ct);
        run.ApplicationId = application.Id;
        return (await RecordAsync(db, run, ct), application.Id);
    }

    // ---- device actions -------------------------------------------------------------------------------------

    private sealed record Prepared(Actor Actor, ActionPlan Plan, ApplicationContext? Context, DeviceTargets Targets, ActionRun? Refused);

    private async Task<Prepared> PrepareAsync(FleetDbContext db, ClaimsPrincipal user, DeviceTargets targets,
        DeviceAction action, CancellationToken ct, Func<Actor, ApplicationContext, Task<DeviceAction>>? build = null)
    {
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == targets.ApplicationId, ct);
        var access = application is null ? null : await db.AccessAsync(actor, application, now, ct);
        if (application is null || access is not { CanSee: true })
            return Refused(actor, action, targets, now, null, NotVisibleText(targets.ApplicationId));

        var context = await db.ContextAsync(application, now, ct);
        if (build is not null) action = await build(actor, context);
        var (devices, problem) = Resolve(context, targets);
        if (problem is not null) return Refused(actor, action, targets, now, context, problem);
        return new Prepared(actor, FleetPolicy.Plan(access, action, context, devices), context, targets, null);
    }

    private Prepared Refused(Actor actor, DeviceAction action, DeviceTargets targets, DateTimeOffset now,
        ApplicationContext? context, string reason)
    {
        var run = NewRefusedRun(actor, action, targets.Scope, now, context, reason, targets.ApplicationId);
        run.FilterText = DeviceSelection.Describe(targets.Filters);
        return new Prepared(actor, new ActionPlan(action, Decision.Refuse(reason), []), context, targets, run);
    }

    private static string NotVisibleText(int applicationId) => FleetLoading.NotVisible(applicationId);

    private Task<Prepared> PrepareMoveAsync(FleetDbContext db, ClaimsPrincipal user, DeviceTargets targets,
        int targetApplicationId, CancellationToken ct)
    {
        // Until the target is loaded, and whenever the mover cannot see it, the move names only its id.
        MoveDevice Unseen(Actor actor) => new(
            new ApplicationContext(new Organization { Name = "" },
                new Application { Id = targetApplicationId, Name = $"application #{targetApplicationId}", DefaultDeviceType = "generic-aarch64" }, default),
            new ApplicationAccess(actor, null, null));

        return PrepareAsync(db, user, targets, Unseen(new Actor("", "")), ct, async (actor, source) =>
        {
            var target = await db.Applications.SingleOrDefaultAsync(a => a.Id == targetApplicationId, ct);
            if (target is null) return Unseen(actor);
            var access = await db.AccessAsync(actor, target, source.Now, ct);
            return access.CanSee ? new MoveDevice(await db.ContextAsync(target, source.Now, ct), access) : Unseen(actor);
        });
    }

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

    private async Task<ActionRun> RunPreparedAsync(FleetDbContext db, Prepared prepared, CancellationToken ct)
    {
        if (prepared.Refused is not null) return await RecordAsync(db, prepared.Refused, ct);

        var (actor, plan, context, targets, _) = prepared;
        var now = context!.Now;
        var run = FleetLoading.NewRun(actor, plan.Action, targets.Scope, now, context);
        run.FilterText = DeviceSelection.Describe(targets.Filters);
        run.DeviceCount = plan.Devices.Count;
        run.DeviceId = targets.Scope == ActionScope.Device ? targets.DeviceIds[0] : null;
        run.Refusal = plan.Decision.Refusal;

        foreach (var skipped in plan.Devices.Where(p => !p.WillRun))
            run.Outcomes.Add(Outcome(skipped.Device, skipped.Skip!.Kind, skipped.Skip.Reason, now));

        var toRun = plan.ToRun.ToList();
        var effects = new ActionEffects(actor);
        if (plan.Decision.IsAllowed && !plan.Action.IsImmediate)
        {
            foreach (var device in toRun)
            {
                plan.Action.Apply(device, context, effects);
                run.Outcomes.Add(Outcome(device, OutcomeKind.Succeeded, null, now));
            }
        }
        db.ActionRuns.Add(run);
        Persist(db, effects);
        await db.SaveChangesAsync(ct);

        if (!plan.Decision.IsAllowed || toRun.Count == 0) return run;
        if (plan.Action is ImmediateDeviceAction immediate)
            await RecordDeliveryAsync(db, run, immediate, toRun, ct);
        else
            await delivery.NudgeAsync(toRun.Select(d => d.Id).ToList(), ct);
        return run;
    }

    /// <summary>Records each delivery outcome as it arrives, in small batches so the history is live.</summary>
    private async Task RecordDeliveryAsync(FleetDbContext db, ActionRun run, ImmediateDeviceAction action,
        IReadOnlyList<Device> devices, CancellationToken ct)
    {
        var byId = devices.ToDictionary(d => d.Id);
        var batch = new List<ActionOutcome>();
        await foreach (var delivered in delivery.DeliverAsync(run.Id, action, devices, ct))
        {
            if (!byId.Remove(delivered.DeviceId, out var device)) continue; // one answer per device, from the devices asked
            var outcome = Outcome(device, delivered.Kind, delivered.Reason, clock.GetUtcNow());
            outcome.ActionRunId = run.Id;
            batch.Add(outcome);
            if (batch.Count >= 200) await FlushAsync();
        }
        await FlushAsync();

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            db.ActionOutcomes.AddRange(batch);
            await db.SaveChangesAsync(ct);
            batch.Clear();
        }
    }

    // ---- application actions -------------------------------------------------------------------------------

    private async Task<ActionRun> RunApplicationActionAsync(FleetDbContext db, Actor actor, ApplicationAccess access,
        ApplicationAction action, ApplicationContext context, CancellationToken ct) =>
        (await RunApplicationActionWithSecretAsync(db, actor, access, action, context, ct)).Run;

    private async Task<(ActionRun Run, string? Secret)> RunApplicationActionWithSecretAsync(FleetDbContext db, Actor actor,
        ApplicationAccess access, ApplicationAction action, ApplicationContext context, CancellationToken ct)
    {
        var decision = FleetPolicy.Decide(access, action, context);
        var scope = action.NeedsOrganizationAdministrator ? ActionScope.Organization : ActionScope.Application;
        var run = FleetLoading.NewRun(actor, action, scope, context.Now, context);
        run.Refusal = decision.Refusal;
        var touched = action.TouchesEveryDevice ? context.Devices : [];
        run.DeviceCount = touched.Count;
        foreach (var device in touched)
            run.Outcomes.Add(decision.IsAllowed
                ? Outcome(device, OutcomeKind.Succeeded, null, context.Now)
                : Outcome(device, OutcomeKind.Refused, decision.Refusal, context.Now));

        var effects = new ActionEffects(actor);
        if (decision.IsAllowed)
        {
            action.Apply(context, effects);
            Persist(db, effects);
        }
        db.ActionRuns.Add(run);
        await db.SaveChangesAsync(ct);
        if (decision.IsAllowed && touched.Count > 0)
            await delivery.NudgeAsync(touched.Select(d => d.Id).ToList(), ct);
        return (run, effects.SecretToShowOnce);
    }

    // ---- recording ----------------------------------------------------------------------------------------

    private static void Persist(FleetDbContext db, ActionEffects effects)
    {
        foreach (var added in effects.Added) db.Add(added);
        foreach (var removed in effects.Removed) db.Remove(removed);
    }

    private Task<ActionRun> RecordInvisibleAsync(FleetDbContext db, Actor actor, FleetAction action, int applicationId,
        DateTimeOffset now, CancellationToken ct) =>
        RecordAsync(db, NewRefusedRun(actor, action, ActionScope.Application, now, null, NotVisibleText(applicationId), applicationId), ct);

    private static ActionRun NewRefusedRun(Actor actor, FleetAction action, ActionScope scope, DateTimeOffset now,
        ApplicationContext? context, string reason, int? applicationId = null)
    {
        var run = FleetLoading.NewRun(actor, action, scope, now, context, applicationId);
        run.Refusal = reason;
        return run;
    }

    private static async Task<ActionRun> RecordAsync(FleetDbContext db, ActionRun run, CancellationToken ct)
    {
        // A refused run changes nothing: drop whatever the loading tracked before recording it alone.
        db.ChangeTracker.Clear();
        db.ActionRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run;
    }

    private static ActionOutcome Outcome(Device device, OutcomeKind kind, string? reason, DateTimeOffset at) => new()
    {
        DeviceId = device.Id, DeviceUuid = device.Uuid, DeviceName = device.Name, Kind = kind, Reason = reason, At = at,
    };

    /// <summary>
    /// Moves and transfers carry facts about a second application or organization that only this service
    /// may load, so a caller cannot hand in a forged target; keys and wall links make a secret that only
    /// their own call hands back.
    /// </summary>
    private static void RefuseWhatHasItsOwnCall(FleetAction action)
    {
        if (action is MoveDevice or TransferApplication or CreateProvisioningKey or CreateWallDisplayLink)
            throw new FleetDomainException($"{action.Title} goes through its own call.");
    }
}
