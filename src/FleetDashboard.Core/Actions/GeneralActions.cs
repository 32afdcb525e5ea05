using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Actions;

// The general actions: on a device, a group, or every device of an application (Operator and above).

/// <summary>Turns the public device URL (HTTP to port 80) on or off. Essentials applications have none.</summary>
public sealed record SetPublicUrl(bool On) : DeviceAction
{
    public override string Title => On ? "Enable public device URL" : "Disable public device URL";
    public override string Verb => On ? "get a public URL" : "lose their public URL";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) =>
        Decision.When(On && !context.Application.Type.AllowsPublicUrls(),
            $"{context.Application.Type} applications have no public device URLs.");

    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) =>
        device.PublicUrlEnabled = On;
}

/// <summary>Removes and recreates the application's containers: data outside /data is lost. Not a reboot.</summary>
public sealed record RestartApplication(bool Force = false) : ImmediateDeviceAction(Force)
{
    public override string Title => "Restart application";
    public override string Verb => "restart the application";
    protected override FleetVersion? LeastAgent => null;
}

/// <summary>Clears /data below host OS 2.12.0; from 2.12.0 deletes every named volume and recreates it empty.</summary>
public sealed record PurgeData(bool Force = false) : ImmediateDeviceAction(Force)
{
    public override string Title => "Purge data";
    public override string Verb => "purge their data";
}

/// <summary>Power-cycles the whole device.</summary>
public sealed record RebootDevice(bool Force = false) : ImmediateDeviceAction(Force)
{
    public override string Title => "Reboot";
    public override string Verb => "reboot";
}

/// <summary>Turns the device off: it cannot be started remotely afterwards.</summary>
public sealed record ShutdownDevice(bool Force = false) : ImmediateDeviceAction(Force)
{
    public override string Title => "Shutdown";
    public override string Verb => "shut down";
}
