using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Core.Actions;

/// <summary>
/// Blinks the device's LED for a while so that a person can find it on a shelf (balena's "blink"). An immediate
/// action: online devices only, never queued; agent 1.1.0 or later. It touches no container, so a held update lock
/// does not stop it.
/// </summary>
public sealed record IdentifyDevice() : ImmediateDeviceAction(Force: false)
{
    public static readonly ActionKind Identify = new("identify-device", "Identify device", ApplicationRole.Operator)
        { Menu = ActionMenu.General, Order = 70, Build = _ => new IdentifyDevice() };

    public override ActionKind Kind => Identify;
    public override DeviceCommand Command => DeviceCommand.Identify;
    public override string Verb => "blink their LED";
    protected override bool StoppedByUpdateLock => false;

    protected override IReadOnlyList<string> What(IReadOnlyList<Device> toRun) =>
        ["The device's LED blinks for a while so someone can find it; nothing on the device changes."];
}
