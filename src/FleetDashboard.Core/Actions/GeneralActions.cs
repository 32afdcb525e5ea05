using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Core.Actions;

// The general actions: on a device, a group, or every device of an application (Operator and above).

/// <summary>Turns the public device URL (HTTP to port 80) on or off. Essentials applications have none.</summary>
public sealed record SetPublicUrl(bool On) : DeviceAction
{
    public static readonly ActionKind Enable = new("public-url-on", "Enable public device URL", ApplicationRole.Operator)
        { Menu = ActionMenu.General, Order = 10, Build = _ => new SetPublicUrl(true) };
    public static readonly ActionKind Disable = new("public-url-off", "Disable public device URL", ApplicationRole.Operator)
        { Menu = ActionMenu.General, Order = 20, Build = _ => new SetPublicUrl(false) };

    public override ActionKind Kind => On ? Enable : Disable;
    public override string Verb => On ? "get a public URL" : "lose their public URL";

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) =>
        Decision.When(On && !context.Application.Type.AllowsPublicUrls(),
            $"{context.Application.Type} applications have no public device URLs.");

    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) =>
        device.PublicUrlEnabled = On;

    protected override IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun) =>
        On ? ["Anyone with the URL reaches the device's port 80 over HTTP."] : [];
}

/// <summary>Removes and recreates the application's containers: data outside /data is lost. Not a reboot.</summary>
public sealed record RestartApplication(bool Force = false) : ImmediateDeviceAction(Force)
{
    public static readonly ActionKind Restart = new("restart-application", "Restart application", ApplicationRole.Operator)
        { Menu = ActionMenu.General, Order = 30, Form = ActionForm.Force, Build = i => new RestartApplication(i.Force) };

    public override ActionKind Kind => Restart;
    public override DeviceCommand Command => DeviceCommand.Restart;
    public override string Verb => "restart the application";
    protected override FleetVersion? LeastAgent => null;

    protected override IReadOnlyList<string> What(IReadOnlyList<Device> toRun) =>
    [
        "Containers are removed and recreated: stop is SIGTERM, then SIGKILL after 10 s.",
        "Data outside /data is lost. This is not a reboot.",
    ];
}

/// <summary>Clears /data below host OS 2.12.0; from 2.12.0 deletes every named volume and recreates it empty.</summary>
public sealed record PurgeData(bool Force = false) : ImmediateDeviceAction(Force)
{
    public static readonly ActionKind Purge = new("purge-data", "Purge data", ApplicationRole.Operator)
        { Menu = ActionMenu.General, Order = 40, Form = ActionForm.Force, Destroys = true, Build = i => new PurgeData(i.Force) };

    public override ActionKind Kind => Purge;
    public override DeviceCommand Command => DeviceCommand.Purge;
    public override string Verb => "purge their data";

    protected override IReadOnlyList<string> What(IReadOnlyList<Device> toRun)
    {
        var (newer, older) = ByNamedVolumes(toRun);
        return
        [
            .. newer is null ? [] : new[] { $"{newer}: every named volume is deleted and recreated empty." },
            .. older is null ? [] : new[] { $"{older}: /data is cleared." },
            "Purged data cannot be recovered.",
        ];
    }

    /// <summary>Data that cannot be recovered: the device's name for one, the application's for several.</summary>
    public override string? NameToType(ActionPlan plan) => plan.DeviceOrApplicationName;
}

/// <summary>Power-cycles the whole device.</summary>
public sealed record RebootDevice(bool Force = false) : ImmediateDeviceAction(Force)
{
    public static readonly ActionKind Reboot = new("reboot", "Reboot", ApplicationRole.Operator)
        { Menu = ActionMenu.General, Order = 50, Form = ActionForm.Force, Build = i => new RebootDevice(i.Force) };

    public override ActionKind Kind => Reboot;
    public override DeviceCommand Command => DeviceCommand.Reboot;
    public override string Verb => "reboot";

    protected override IReadOnlyList<string> What(IReadOnlyList<Device> toRun) =>
        ["The whole device is power-cycled; its containers stop until it is back."];
}

/// <summary>Turns the device off: it cannot be started remotely afterwards.</summary>
public sealed record ShutdownDevice(bool Force = false) : ImmediateDeviceAction(Force)
{
    public static readonly ActionKind Shutdown = new("shutdown", "Shutdown", ApplicationRole.Operator)
        { Menu = ActionMenu.General, Order = 60, Form = ActionForm.Force, Destroys = true, Build = i => new ShutdownDevice(i.Force) };

    public override ActionKind Kind => Shutdown;
    public override DeviceCommand Command => DeviceCommand.Shutdown;
    public override string Verb => "shut down";

    protected override IReadOnlyList<string> What(IReadOnlyList<Device> toRun) =>
        ["A device that is shut down cannot be started remotely: someone must power it on where it stands."];

    public override string? NameToType(ActionPlan plan) => plan.DeviceOrApplicationName;
}
