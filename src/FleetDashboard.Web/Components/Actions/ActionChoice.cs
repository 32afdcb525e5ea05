using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using MudBlazor;

namespace FleetDashboard.Web.Components.Actions;

/// <summary>What the dialog asks for before it can build the action.</summary>
public enum ActionForm { None, Force, HostOs, DeviceType, DeviceName, Tag, TagName, SupportPeriod, TargetApplication, ApplicationType, ApplicationName, Release }

/// <summary>Where an action is offered: the Actions menus of §3, and the device page's "Dangerous actions".</summary>
public enum ActionSection { General, DeviceSpecific, Dangerous, Application }

/// <summary>
/// One entry of an Actions menu: its title, the options it asks for, and how the core action is built from
/// them. A move is built by the service (it needs the target application as the service loads it), so it
/// has no builder here.
/// </summary>
public sealed record ActionChoice(string Title, string Icon, ActionSection Section, ActionForm Form,
    Func<ActionOptions, FleetAction>? Build, bool OneDeviceOnly = false)
{
    /// <summary>One line on what it does, where the action is offered as a button rather than a menu entry.</summary>
    public string Note { get; init; } = "";

    public bool IsMove => Build is null;

    /// <summary>The least role, read from the core action itself so the menu and the policy cannot disagree.</summary>
    public ApplicationRole LeastRole => Build?.Invoke(new ActionOptions { Name = "x", TagName = "x", DeviceType = "generic-aarch64", HostOs = new(2, 14, 0) }).LeastRole
                                        ?? ApplicationRole.Operator; // MoveDevice.LeastRole; the service also checks the target

    public bool OnApplication => Section == ActionSection.Application;

    private static ActionChoice Device(string title, string icon, ActionSection section, ActionForm form, Func<ActionOptions, DeviceAction> build,
        bool oneDeviceOnly = false) => new(title, icon, section, form, build, oneDeviceOnly);

    private static ActionChoice App(string title, string icon, ActionForm form, Func<ActionOptions, ApplicationAction> build) =>
        new(title, icon, ActionSection.Application, form, build);

    /// <summary>The general actions of §3: on a device, a group, or every device of the application.</summary>
    public static IReadOnlyList<ActionChoice> General { get; } =
    [
        Device("Enable public device URL", Icons.Material.Filled.Public, ActionSection.General, ActionForm.None, _ => new SetPublicUrl(true)),
        Device("Disable public device URL", Icons.Material.Filled.PublicOff, ActionSection.General, ActionForm.None, _ => new SetPublicUrl(false)),
        Device("Restart application", Icons.Material.Filled.RestartAlt, ActionSection.General, ActionForm.Force, o => new RestartApplication(o.Force)),
        Device("Purge data", Icons.Material.Filled.DeleteSweep, ActionSection.General, ActionForm.Force, o => new PurgeData(o.Force)),
        Device("Reboot", Icons.Material.Filled.Refresh, ActionSection.General, ActionForm.Force, o => new RebootDevice(o.Force)),
        Device("Shutdown", Icons.Material.Filled.PowerSettingsNew, ActionSection.General, ActionForm.Force, o => new ShutdownDevice(o.Force)),
    ];

    /// <summary>The device-specific actions of §3, for one device or a group.</summary>
    public static IReadOnlyList<ActionChoice> DeviceSpecific { get; } =
    [
        Device("Override update lock", Icons.Material.Filled.LockOpen, ActionSection.DeviceSpecific, ActionForm.None, _ => new SetLockOverride(true)),
        Device("Respect update lock", Icons.Material.Filled.Lock, ActionSection.DeviceSpecific, ActionForm.None, _ => new SetLockOverride(false)),
        Device("Enable local mode", Icons.Material.Filled.LaptopChromebook, ActionSection.DeviceSpecific, ActionForm.None, _ => new SetLocalMode(true)),
        Device("Disable local mode", Icons.Material.Filled.CloudSync, ActionSection.DeviceSpecific, ActionForm.None, _ => new SetLocalMode(false)),
        new("Move to another application", Icons.Material.Filled.DriveFileMove, ActionSection.DeviceSpecific, ActionForm.TargetApplication, null),
        Device("Update host OS", Icons.Material.Filled.SystemUpdateAlt, ActionSection.DeviceSpecific, ActionForm.HostOs, o => new UpdateHostOs(o.HostOs ?? new(0, 0, 0), o.Force)),
        Device("Grant support access", Icons.Material.Filled.SupportAgent, ActionSection.DeviceSpecific, ActionForm.SupportPeriod, o => new GrantDeviceSupportAccess(o.SupportPeriod)),
        Device("Revoke support access", Icons.Material.Filled.PersonOff, ActionSection.DeviceSpecific, ActionForm.None, _ => new RevokeDeviceSupportAccess()),
        Device("Rename device", Icons.Material.Filled.DriveFileRenameOutline, ActionSection.DeviceSpecific, ActionForm.DeviceName, o => new RenameDevice(o.Name.Trim()), oneDeviceOnly: true),
        Device("Set tag", Icons.Material.Filled.Label, ActionSection.DeviceSpecific, ActionForm.Tag, o => new SetDeviceTag(o.TagName.Trim(), string.IsNullOrEmpty(o.TagValue) ? null : o.TagValue)),
        Device("Remove tag", Icons.Material.Filled.LabelOff, ActionSection.DeviceSpecific, ActionForm.TagName, o => new RemoveDeviceTag(o.TagName.Trim())),
    ];

    /// <summary>What cannot be taken back, kept apart on the device page.</summary>
    public static IReadOnlyList<ActionChoice> Dangerous { get; } =
    [
        Device("Deactivate", Icons.Material.Filled.DoNotDisturbOn, ActionSection.Dangerous, ActionForm.None, _ => new DeactivateDevice()) with
        {
            Note = "Only while the device is offline. Charges one device-month, waived within 72 hours of provisioning.",
        },
        Device("Change device type", Icons.Material.Filled.Memory, ActionSection.Dangerous, ActionForm.DeviceType, o => new ChangeDeviceType(o.DeviceType)) with
        {
            Note = "Corrects the record to another board of the same architecture; the OS is not touched.",
        },
        Device("Delete device", Icons.Material.Filled.DeleteForever, ActionSection.Dangerous, ActionForm.None, _ => new DeleteDevice()) with
        {
            Note = "Disassociates the device: its credential stops working and it never reconnects.",
        },
    ];

    /// <summary>The actions on the application itself: its release (developers), the rest administrators'.</summary>
    public static IReadOnlyList<ActionChoice> Application { get; } =
    [
        App("Set target release", Icons.Material.Filled.RocketLaunch, ActionForm.Release, o => new SetTargetRelease(o.ReleaseId ?? 0)),
        App("Change application type", Icons.Material.Filled.Category, ActionForm.ApplicationType, o => new ChangeApplicationType(o.ApplicationType)),
        App("Rename application", Icons.Material.Filled.DriveFileRenameOutline, ActionForm.ApplicationName, o => new RenameApplication(o.Name.Trim())),
        App("Enable all public device URLs", Icons.Material.Filled.Public, ActionForm.None, _ => new SetAllPublicUrls(true)),
        App("Disable all public device URLs", Icons.Material.Filled.PublicOff, ActionForm.None, _ => new SetAllPublicUrls(false)),
        App("Grant support access to the fleet", Icons.Material.Filled.SupportAgent, ActionForm.SupportPeriod, o => new GrantApplicationSupportAccess(o.SupportPeriod)),
        App("Revoke support access to the fleet", Icons.Material.Filled.PersonOff, ActionForm.None, _ => new RevokeApplicationSupportAccess()),
        App("Delete application", Icons.Material.Filled.DeleteForever, ActionForm.None, _ => new DeleteApplication()),
    ];

    /// <summary>A choice by its title, for pages that offer one action beside what it changes.</summary>
    public static ActionChoice Named(string title) =>
        General.Concat(DeviceSpecific).Concat(Dangerous).Concat(Application).Single(c => c.Title == title);

    /// <summary>The choices offered for a scope to someone with <paramref name="role"/>: nothing they may not do.</summary>
    public static IReadOnlyList<ActionChoice> For(ActionScope scope, ApplicationRole role) =>
        (scope switch
        {
            ActionScope.Device => [.. General, .. DeviceSpecific],
            ActionScope.Group => [.. General, .. DeviceSpecific.Where(c => !c.OneDeviceOnly), .. Dangerous],
            ActionScope.Application => [.. General, .. Application],
            _ => Array.Empty<ActionChoice>(),
        }).Where(c => role >= c.LeastRole).ToList();
}
