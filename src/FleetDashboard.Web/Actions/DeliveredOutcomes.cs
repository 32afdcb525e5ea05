using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Operations;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// What became of each device of a delivery, told once per outcome the store really kept (a late answer the deadline
/// beat is not): counted by outcome for /metrics, and logged with its run and device so one device's story can be
/// found in the log. Succeeded is Debug: a reboot of 10,000 devices would otherwise be 10,000 lines.
/// </summary>
public sealed partial class DeliveredOutcomes(FleetMetrics metrics, ILogger<DeliveredOutcomes> logger)
{
    public void Recorded(IEnumerable<ActionOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            metrics.Delivered(outcome.Kind);
            if (outcome.Kind == OutcomeKind.Succeeded) Succeeded(outcome.ActionRunId, outcome.DeviceId);
            else NotSucceeded(outcome.ActionRunId, outcome.DeviceId, FleetMetrics.OutcomeTag(outcome.Kind), outcome.Reason);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Action run {RunId}: device {DeviceId} succeeded.")]
    private partial void Succeeded(long runId, int deviceId);

    [LoggerMessage(2, LogLevel.Information, "Action run {RunId}: device {DeviceId} {Outcome}: {Reason}")]
    private partial void NotSucceeded(long runId, int deviceId, string outcome, string? reason);
}
