using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Actions;

/// <summary>One device in a plan: it will run the action, or it is skipped and why.</summary>
public sealed record PlannedDevice(Device Device, Skip? Skip)
{
    public bool WillRun => Skip is null;
}

/// <summary>
/// What an action will do before anything happens, whatever its scope: one device, a group, every device of
/// an application, or the application itself (a plan over the devices it touches, perhaps none). "83 will
/// reboot; 12 offline will not be notified; 5 agent too old". A refused plan skips every device with the
/// refusal as its reason. The confirmation shows it; the run executes it.
/// </summary>
public sealed record ActionPlan(FleetAction Action, Decision Decision, IReadOnlyList<PlannedDevice> Devices, ApplicationContext Context)
{
    public IEnumerable<Device> ToRun => Devices.Where(d => d.WillRun).Select(d => d.Device);
    public int RunCount => Devices.Count(d => d.WillRun);

    /// <summary>Skipped devices grouped by reason, most common first.</summary>
    public IReadOnlyList<(Skip Skip, int Count)> Skipped =>
        Devices.Where(d => d.Skip is not null)
            .GroupBy(d => d.Skip!)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(g => g.Item2)
            .ToList();

    public string Summary => Decision.IsAllowed ? Action.Summarize(this) : Decision.Refusal!;

    public IReadOnlyList<string> Warnings => Decision.IsAllowed ? Action.Warnings(this) : [];

    /// <summary>What must be typed to confirm it, or null when nothing must.</summary>
    public string? NameToType => Action.NameToType(this);

    /// <summary>What the plan was asked for: one device, a group, the application.</summary>
    public ActionScope Scope { get; init; } = ActionScope.Group;

    /// <summary>
    /// This plan if it is the one <paramref name="confirmation"/> confirmed (<see cref="Actions.Confirmation.Problem"/>),
    /// otherwise the plan refused with why: every device is told so, and nothing runs.
    /// </summary>
    public ActionPlan ConfirmedBy(Confirmation? confirmation)
    {
        if (!Decision.IsAllowed || Confirmation.Problem(this, confirmation) is not { } problem) return this;
        var refused = Skip.Refused(problem);
        return this with { Decision = Decision.Refuse(problem), Devices = Devices.Select(d => d with { Skip = refused }).ToList() };
    }

    /// <summary>The device's name for an action on one device, otherwise the application's: what a destructive action asks for.</summary>
    public string DeviceOrApplicationName => Scope == ActionScope.Device && Devices.Count == 1 ? Devices[0].Device.Name : Context.Application.Name;
}
