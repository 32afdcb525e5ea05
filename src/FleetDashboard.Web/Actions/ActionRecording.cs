using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// A run as written, and what is left to do: the devices an immediate action goes to, the devices whose target
/// state changed (to be nudged), and a secret the action made that the person sees once.
/// </summary>
public sealed record RecordedPlan(ActionRun Run, ImmediateDeviceAction? Immediate, IReadOnlyList<Device> ToDeliver,
    IReadOnlyList<int> ToNudge, string? Secret);

/// <summary>
/// The record stage: writes the run with every outcome known now — skipped devices with their reason, settings
/// applied — and the action's effects, in the caller's transaction. Refused runs are recorded too, and change
/// nothing else.
/// </summary>
public static class ActionRecording
{
    public static async Task<RecordedPlan> RecordAsync(FleetDbContext db, LoadedRequest loaded, ActionPlan plan, CancellationToken ct)
    {
        var run = NewRun(loaded, plan);
        if (!plan.Decision.IsAllowed)
        {
            // Whatever the loading tracked stays as it was; every targeted device is told why.
            db.ChangeTracker.Clear();
            db.ActionRuns.Add(run);
            AddOutcomes(run, plan.Devices, loaded.Now);
            return new RecordedPlan(run, null, [], [], null);
        }

        var context = plan.Context;
        var effects = new ActionEffects(loaded.Actor);
        AddOutcomes(run, plan.Devices.Where(d => !d.WillRun), loaded.Now);
        var toRun = plan.ToRun.ToList();
        IReadOnlyList<int> toNudge = [];
        switch (plan.Action)
        {
            case ImmediateDeviceAction immediate:
                db.ActionRuns.Add(run);
                return new RecordedPlan(run, immediate, toRun, [], null);
            case DeviceAction setting:
                foreach (var device in toRun) setting.Apply(device, context, effects);
                toNudge = toRun.Select(d => d.Id).ToList();
                break;
            case ApplicationAction application:
                application.Apply(context, effects);
                if (application.TouchesEveryDevice || application.ChangesTargetState) toNudge = context.Devices.Select(d => d.Id).ToList();
                break;
            case OrganizationAction organization:
                organization.Apply(loaded.Organization!, effects);
                break;
        }
        AddOutcomes(run, plan.Devices.Where(d => d.WillRun), loaded.Now);
        foreach (var added in effects.Added) db.Add(added);
        foreach (var removed in effects.Removed) db.Remove(removed);
        if (effects.Added.OfType<Application>().SingleOrDefault() is { } made)
        {
            // The run names the application it made, which has no id before it is saved (and a run, once saved, never changes).
            await db.SaveChangesAsync(ct);
            run.ApplicationId = made.Id;
        }
        db.ActionRuns.Add(run);
        return new RecordedPlan(run, null, [], toNudge, effects.SecretToShowOnce);
    }

    private static ActionRun NewRun(LoadedRequest loaded, ActionPlan plan)
    {
        // An organization action's plan stands on the application it concerns.
        var context = loaded.Context ?? (loaded.Organization is null ? null : plan.Context);
        var targets = loaded.Targets;
        var scope = plan.Action is ApplicationAction application
            ? application.NeedsOrganizationAdministrator ? ActionScope.Organization : ActionScope.Application
            : targets.Scope;
        return new ActionRun
        {
            At = loaded.Now,
            ActorUserId = loaded.Actor.UserId,
            ActorEmail = loaded.Actor.Email,
            OrganizationId = context?.Organization.Id ?? loaded.OrganizationId,
            // An organization action names the application it concerns when that exists already (an invitation accepted into it).
            ApplicationId = targets.OrganizationId is null
                ? loaded.ApplicationExists ? targets.ApplicationId : null
                : loaded.Organization is null || plan.Context.Application.Id == 0 ? null : plan.Context.Application.Id,
            ApplicationName = context?.Application.Name ?? "",
            Scope = scope,
            ActionKey = plan.Action.Key,
            Action = plan.Action.Title,
            Options = plan.Action.Options,
            FilterText = DeviceSelection.Describe(targets.Filters),
            DeviceCount = plan.Devices.Count,
            DeviceId = scope == ActionScope.Device && targets.DeviceIds.Count > 0 ? targets.DeviceIds[0] : null,
            Refusal = plan.Decision.Refusal,
        };
    }

    private static void AddOutcomes(ActionRun run, IEnumerable<PlannedDevice> devices, DateTimeOffset at)
    {
        foreach (var planned in devices)
            run.Outcomes.Add(Outcome(planned.Device, planned.Skip?.Kind ?? OutcomeKind.Succeeded, planned.Skip?.Reason, at));
    }

    public static ActionOutcome Outcome(Device device, OutcomeKind kind, string? reason, DateTimeOffset at, long runId = 0) => new()
    {
        ActionRunId = runId, DeviceId = device.Id, DeviceUuid = device.Uuid, DeviceName = device.Name, Kind = kind, Reason = reason, At = at,
    };
}
