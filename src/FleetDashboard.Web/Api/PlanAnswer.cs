using FleetDashboard.Core.Actions;

namespace FleetDashboard.Web.Api;

/// <summary>
/// A plan as the confirmation dialog shows it: allowed or why not, the summary, per-device decisions and their
/// counts, the warnings, the name to type if any, and the confirmation to send back with the run.
/// </summary>
public sealed record PlanAnswer(string Action, string Title, string Options, bool Allowed, string? Refusal, string Summary,
    int DeviceCount, int RunCount, IReadOnlyList<SkippedCount> Skipped, IReadOnlyList<string> Warnings, string? NameToType,
    IReadOnlyList<PlannedDeviceAnswer> Devices, ApiConfirmation Confirmation)
{
    public static PlanAnswer Of(ActionPlan plan) => new(plan.Action.Key, plan.Action.Title, plan.Action.Options, plan.Decision.IsAllowed,
        plan.Decision.Refusal, plan.Summary, plan.Devices.Count, plan.RunCount,
        plan.Skipped.Select(s => new SkippedCount(s.Skip.Kind, s.Skip.Reason, s.Count)).ToList(), plan.Warnings,
        plan.Decision.IsAllowed ? plan.NameToType : null,
        plan.Devices.Select(d => new PlannedDeviceAnswer(d.Device.Id, d.Device.Uuid, d.Device.Name, d.WillRun, d.Skip?.Kind, d.Skip?.Reason)).ToList(),
        ApiConfirmation.Of(plan));
}

public sealed record SkippedCount(OutcomeKind Outcome, string Reason, int Count);

public sealed record PlannedDeviceAnswer(int Id, string Uuid, string Name, bool WillRun, OutcomeKind? Outcome, string? Reason);
