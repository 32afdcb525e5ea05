namespace FleetDashboard.Web.Actions;

/// <summary>
/// A device an immediate action was sent to, stored with its run before anything is sent, with the moment its
/// answer is due and the process that sent it. Nothing waits on memory alone: when the process dies, this row
/// is what lets the next one close the device's outcome (<see cref="RunDeadlines"/>). Rows past their deadline
/// are removed once the device has its outcome; the outcome is the history.
/// </summary>
public sealed class RunTarget
{
    public long ActionRunId { get; set; }
    public int DeviceId { get; set; }
    public required string DeviceUuid { get; set; }
    public required string DeviceName { get; set; }
    public DateTimeOffset Deadline { get; set; }

    /// <summary>The process that delivers it (<see cref="RunDeadlines.BootId"/>): another one's target can no longer be answered.</summary>
    public required string BootId { get; set; }
}
