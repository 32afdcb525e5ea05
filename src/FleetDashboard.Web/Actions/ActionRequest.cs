using FleetDashboard.Core.Actions;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// One click, as a page (or a script) asks for it: an action with the options a person chose, and what it is on.
/// Whatever its scope — a device, a selection, every device, the application itself — it is planned and run
/// the same way by <see cref="ActionService"/>, and runs only as it was confirmed.
/// </summary>
public sealed record ActionRequest(FleetAction Action, DeviceTargets Targets)
{
    /// <summary>What the person confirmed (the plan they saw, the name they typed); the run is refused if it is not what would run now.</summary>
    public Confirmation? Confirmed { get; init; }

    /// <summary>The request confirmed by typing <paramref name="name"/> (a script's way: it saw no dialog's plan).</summary>
    public ActionRequest Typing(string name) => this with { Confirmed = new Confirmation(name) };

    /// <summary>An action on an application: on the application itself, or on every device of it.</summary>
    public static ActionRequest On(int applicationId, FleetAction action) => new(action, DeviceTargets.Application(applicationId));

    /// <summary>An action on an organization itself (creating an application in it).</summary>
    public static ActionRequest In(int organizationId, OrganizationAction action) => new(action, DeviceTargets.Organization(organizationId));
}
