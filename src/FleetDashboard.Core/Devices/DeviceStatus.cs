namespace FleetDashboard.Core.Devices;

/// <summary>A device's status, derived from what is known of it; shown everywhere with the same colours.</summary>
public enum DeviceStatus { PostProvisioning, Online, Updating, Configuring, Offline, Inactive }

/// <summary>What a device reports it is busy with.</summary>
public enum DeviceProgress { Idle, ApplyingRelease, UpdatingHostOs }

public static class DeviceStatusRules
{
    /// <summary>Grace added to 1.5 poll intervals before a silent device counts as Offline.</summary>
    public static readonly TimeSpan HeartbeatGrace = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Inactive while deactivated; Post-provisioning until first connected; otherwise Online while its
    /// connection is open or its last heartbeat is younger than 1.5 × poll interval + 15 s (then Updating or
    /// Configuring while it reports that work), else Offline.
    /// </summary>
    public static DeviceStatus StatusAt(this Device device, DateTimeOffset now)
    {
        if (device.DeactivatedAt is not null) return DeviceStatus.Inactive;
        if (device.FirstConnectedAt is null) return DeviceStatus.PostProvisioning;
        if (!device.IsReachableAt(now)) return DeviceStatus.Offline;
        return device.ProgressAt(now) switch
        {
            DeviceProgress.ApplyingRelease => DeviceStatus.Updating,
            DeviceProgress.UpdatingHostOs => DeviceStatus.Configuring,
            _ => DeviceStatus.Online,
        };
    }

    /// <summary>
    /// What the device is busy with as far as anyone can tell now: what it last reported while it counts as
    /// online, and nothing once it is offline, inactive or never connected. A device that went away mid-update
    /// is not still "applying release · 50%": whatever it does, it is not telling.
    /// </summary>
    public static DeviceProgress ProgressAt(this Device device, DateTimeOffset now) =>
        device.DeactivatedAt is null && device.FirstConnectedAt is not null && device.IsReachableAt(now)
            ? device.Progress
            : DeviceProgress.Idle;

    /// <summary>How far that work has come (0–100); null while <see cref="ProgressAt"/> is idle.</summary>
    public static int? ProgressPercentAt(this Device device, DateTimeOffset now) =>
        device.ProgressAt(now) == DeviceProgress.Idle ? null : device.ProgressPercent;

    /// <summary>
    /// Whether the device counts as online now: its connection is open, or its last heartbeat is fresh enough
    /// and no close was seen after it. The heartbeat carries a device across what the server cannot see —
    /// a restart of the server itself — while a connection seen closing means Offline at once.
    /// </summary>
    public static bool IsReachableAt(this Device device, DateTimeOffset now) =>
        device.ConnectedAt is not null || device.HeartbeatExpiresAt > now;

    public static TimeSpan OnlineWindow(TimeSpan pollInterval) => pollInterval * 1.5 + HeartbeatGrace;

    public static string Label(this DeviceStatus status) => status switch
    {
        DeviceStatus.PostProvisioning => "Post-provisioning",
        _ => status.ToString(),
    };
}
