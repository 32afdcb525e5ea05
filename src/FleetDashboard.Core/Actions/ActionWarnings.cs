using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Devices.FleetVersion;

namespace FleetDashboard.Core.Actions;

/// <summary>
/// What the confirmation says before an action runs: the consequences SPEC §3 gives, counted over the
/// devices that will run it where the consequence depends on the device, and whether the person must type
/// the name of what is destroyed.
/// </summary>
public static class ActionWarnings
{
    /// <summary>The warnings for a device action over the devices that will run it.</summary>
    public static IReadOnlyList<string> For(DeviceAction action, IReadOnlyCollection<Device> toRun)
    {
        var warnings = new List<string>();
        if (toRun.Count == 0) return warnings; // nothing will happen to warn of
        var (newer, older) = (toRun.Count(d => d.HostOsVersion >= NamedVolumesFrom), toRun.Count(d => d.HostOsVersion < NamedVolumesFrom));
        switch (action)
        {
            case RestartApplication:
                warnings.Add("Containers are removed and recreated: stop is SIGTERM, then SIGKILL after 10 s.");
                warnings.Add("Data outside /data is lost. This is not a reboot.");
                break;
            case PurgeData:
                if (newer > 0) warnings.Add($"{Devices(newer)} on host OS {NamedVolumesFrom} or later: every named volume is deleted and recreated empty.");
                if (older > 0) warnings.Add($"{Devices(older)} on host OS before {NamedVolumesFrom}: /data is cleared.");
                warnings.Add("Purged data cannot be recovered.");
                break;
            case RebootDevice:
                warnings.Add("The whole device is power-cycled; its containers stop until it is back.");
                break;
            case ShutdownDevice:
                warnings.Add("A device that is shut down cannot be started remotely: someone must power it on where it stands.");
                break;
            case MoveDevice move:
                if (newer > 0) warnings.Add($"{Devices(newer)} on host OS {NamedVolumesFrom} or later: named volumes are purged on the way.");
                if (older > 0) warnings.Add($"{Devices(older)} on host OS before {NamedVolumesFrom}: the old /data stays on the device and comes back if moved back.");
                warnings.Add($"The devices appear in {move.Target.Application.Name} at once and run its release.");
                break;
            case SetLockOverride { On: true }:
                warnings.Add("Held update locks are deleted and the pending update goes through.");
                break;
            case SetLocalMode { On: true }:
                warnings.Add("While local mode is on, the dashboard's configuration and releases do not apply.");
                break;
            case SetPublicUrl { On: true }:
                warnings.Add("Anyone with the URL reaches the device's port 80 over HTTP.");
                break;
            case DeactivateDevice:
                warnings.Add("Each device is charged one device-month to the ledger, waived within 72 hours of its first provisioning.");
                warnings.Add("A deactivated device stays inactive until it next comes online.");
                break;
            case DeleteDevice:
                warnings.Add("The device is disassociated: its credential stops working; it keeps running what it had but never reconnects.");
                warnings.Add("This cannot be undone.");
                break;
            case ChangeDeviceType:
                warnings.Add("Only the record changes, not the operating system on the device.");
                break;
        }
        if (action is ImmediateDeviceAction { Force: true } or UpdateHostOs { Force: true })
            warnings.Add("Forced: update locks held by the application are ignored.");
        return warnings;
    }

    /// <summary>The warnings for an action on the application itself.</summary>
    public static IReadOnlyList<string> For(ApplicationAction action, int deviceCount) => action switch
    {
        DeleteApplication =>
        [
            "The application, its releases, members and saved views are deleted for good.",
            $"Its {Devices(deviceCount)} are orphaned: their credentials stop working.",
        ],
        SetAllPublicUrls { On: true } =>
        [
            "Applies to the devices provisioned now; devices provisioned later start with the URL off.",
            "Anyone with a device's URL reaches its port 80 over HTTP.",
        ],
        SetAllPublicUrls => ["Applies to the devices provisioned now."],
        _ => [],
    };

    /// <summary>
    /// Whether the person must type the name of what is destroyed: a deleted device or application, a
    /// shutdown (nobody can undo it remotely), a purge of more than one device.
    /// </summary>
    public static bool NeedsTypedName(FleetAction action, int deviceCount) => action switch
    {
        DeleteDevice or DeleteApplication or ShutdownDevice => true,
        PurgeData => deviceCount > 1,
        _ => false,
    };

    private static string Devices(int count) => count == 1 ? "1 device" : $"{count} devices";
}
