using FleetDashboard.Core.Actions;
using MudBlazor;

namespace FleetDashboard.Web.Components.Actions;

/// <summary>What the page shows of an action that the core does not know: its icon, by the action's key.</summary>
public static class ActionIcons
{
    private static readonly Dictionary<string, string> ByKey = new()
    {
        [SetPublicUrl.Enable.Key] = Icons.Material.Filled.Public,
        [SetPublicUrl.Disable.Key] = Icons.Material.Filled.PublicOff,
        [RestartApplication.Restart.Key] = Icons.Material.Filled.RestartAlt,
        [PurgeData.Purge.Key] = Icons.Material.Filled.DeleteSweep,
        [RebootDevice.Reboot.Key] = Icons.Material.Filled.Refresh,
        [ShutdownDevice.Shutdown.Key] = Icons.Material.Filled.PowerSettingsNew,
        [IdentifyDevice.Identify.Key] = Icons.Material.Filled.FlashlightOn,
        [SetLockOverride.Override.Key] = Icons.Material.Filled.LockOpen,
        [SetLockOverride.Respect.Key] = Icons.Material.Filled.Lock,
        [SetLocalMode.Enable.Key] = Icons.Material.Filled.LaptopChromebook,
        [SetLocalMode.Disable.Key] = Icons.Material.Filled.CloudSync,
        [MoveDevice.Move.Key] = Icons.Material.Filled.DriveFileMove,
        [UpdateHostOs.Update.Key] = Icons.Material.Filled.SystemUpdateAlt,
        [GrantDeviceSupportAccess.Grant.Key] = Icons.Material.Filled.SupportAgent,
        [RevokeDeviceSupportAccess.Revoke.Key] = Icons.Material.Filled.PersonOff,
        [RenameDevice.Rename.Key] = Icons.Material.Filled.DriveFileRenameOutline,
        [SetDeviceTag.Set.Key] = Icons.Material.Filled.Label,
        [RemoveDeviceTag.Remove.Key] = Icons.Material.Filled.LabelOff,
        [DeactivateDevice.Deactivate.Key] = Icons.Material.Filled.DoNotDisturbOn,
        [ChangeDeviceType.Change.Key] = Icons.Material.Filled.Memory,
        [DeleteDevice.Delete.Key] = Icons.Material.Filled.DeleteForever,
        [SetTargetRelease.Set.Key] = Icons.Material.Filled.RocketLaunch,
        [PinRelease.Pin.Key] = Icons.Material.Filled.PushPin,
        [PinRelease.Unpin.Key] = Icons.Material.Filled.LinkOff,
        [ChangeApplicationType.Change.Key] = Icons.Material.Filled.Category,
        [RenameApplication.Rename.Key] = Icons.Material.Filled.DriveFileRenameOutline,
        [SetAllPublicUrls.Enable.Key] = Icons.Material.Filled.Public,
        [SetAllPublicUrls.Disable.Key] = Icons.Material.Filled.PublicOff,
        [GrantApplicationSupportAccess.Grant.Key] = Icons.Material.Filled.SupportAgent,
        [RevokeApplicationSupportAccess.Revoke.Key] = Icons.Material.Filled.PersonOff,
        [DeleteApplication.Delete.Key] = Icons.Material.Filled.DeleteForever,
    };

    /// <summary>An action without an icon of its own still gets one.</summary>
    public static string For(ActionKind kind) => ByKey.GetValueOrDefault(kind.Key, Icons.Material.Filled.PlayArrow);
}
