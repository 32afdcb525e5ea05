using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Actions;

/// <summary>
/// Pins devices to one release of their application, which they install instead of the application's target (a
/// canary, or a device that must stay on a known build); unpinned, they follow the target again. Developer, as
/// setting the target is.
/// </summary>
public sealed record PinRelease(int? ReleaseId) : DeviceAction
{
    public static readonly ActionKind Pin = new("pin-release", "Pin to release", ApplicationRole.Developer)
        { Menu = ActionMenu.DeviceSpecific, Order = 64, Form = ActionForm.Release, Build = i => new PinRelease(i.ReleaseId ?? 0) };
    public static readonly ActionKind Unpin = new("unpin-release", "Unpin release", ApplicationRole.Developer)
        { Menu = ActionMenu.DeviceSpecific, Order = 66, Build = _ => new PinRelease((int?)null) };

    public override ActionKind Kind => ReleaseId is null ? Unpin : Pin;
    public override string Verb => ReleaseId is null ? "follow the target release again" : $"be pinned to release #{ReleaseId}";
    public override string Options => ReleaseId is { } id ? $"release #{id}" : "";

    /// <summary>Only a release of the devices' own application: another's would install a foreign build.</summary>
    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) =>
        Decision.When(ReleaseId is { } id && context.Releases.All(r => r.Id != id || r.ApplicationId != context.Application.Id),
            $"{context.Application.Name} has no release #{ReleaseId}.");

    public override Skip? Check(Device device, ApplicationContext context) =>
        ReleaseId is null
            ? device.PinnedReleaseId is null ? Skip.Refused("not pinned") : null
            : device.PinnedReleaseId == ReleaseId ? Skip.Refused("already pinned to it") : null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) => device.PinnedReleaseId = ReleaseId;

    protected override IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun) => ReleaseId is null
        ? ["The devices install the application's target release again."]
        : ["The devices install this release and keep it whatever the application's target, until they are unpinned."];
}
