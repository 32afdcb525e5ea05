using FleetDashboard.Core.Actions;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// A run as recorded when the person confirmed: the outcomes known then (skipped devices, settings applied),
/// and whether deliveries are still under way. A copy, so the page never reads what the delivery is writing.
/// </summary>
public sealed record RecordedRun(long Id, string ActionKey, string Action, string? Refusal, int DeviceCount, IReadOnlyList<OutcomeKind> Outcomes)
{
    public bool Delivering => Refusal is null && Outcomes.Count < DeviceCount;

    public static RecordedRun Of(ActionRun run) =>
        new(run.Id, run.ActionKey, run.Action, run.Refusal, run.DeviceCount, run.Outcomes.Select(o => o.Kind).ToList());
}
