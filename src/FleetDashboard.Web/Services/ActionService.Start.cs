using System.Security.Claims;
using FleetDashboard.Core.Actions;

namespace FleetDashboard.Web.Services;

/// <summary>
/// A run as recorded when the person confirmed: the outcomes known then (skipped devices, settings applied),
/// and whether deliveries are still under way. A copy, so the page never reads what the delivery is writing.
/// </summary>
public sealed record RecordedRun(long Id, string Action, string? Refusal, int DeviceCount, IReadOnlyList<OutcomeKind> Outcomes)
{
    public bool Delivering => Refusal is null && Outcomes.Count < DeviceCount;

    public static RecordedRun Of(ActionRun run) =>
        new(run.Id, run.Action, run.Refusal, run.DeviceCount, run.Outcomes.Select(o => o.Kind).ToList());
}

public sealed partial class ActionService
{
    /// <summary>
    /// For the browser: records the run and returns at once, while immediate actions are still being delivered —
    /// the run page shows their outcomes as they arrive (up to the 50 s answer window). A failure of the delivery
    /// after this point is logged; the devices it never answered for are recorded as timed out.
    /// </summary>
    public async Task<RecordedRun> StartAsync(ClaimsPrincipal user, DeviceTargets targets, DeviceAction action,
        CancellationToken ct = default)
    {
        RefuseWhatHasItsOwnCall(action);
        var (_, recorded, delivered) = await StartDevicesAsync(user, targets, _ => Task.FromResult(action), ChangesDevices(action), ct);
        _ = delivered.ContinueWith(t => logger.LogError(t.Exception, "Delivering action run {RunId} failed.", recorded.Id),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return recorded;
    }
}
