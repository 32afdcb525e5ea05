using FleetDashboard.Core.Applications;

namespace FleetDashboard.Core.Actions;

/// <summary>Where an action is offered: the Actions menus of SPEC §3, the device page's "Dangerous actions", or a page of its own.</summary>
public enum ActionMenu { OwnPage, General, DeviceSpecific, Dangerous, Application }

/// <summary>What the confirmation asks for before the action can be built from <see cref="ActionInputs"/>.</summary>
public enum ActionForm
{
    None, Force, HostOs, DeviceType, DeviceName, Tag, TagName, SupportPeriod, TargetApplication, ApplicationType, ApplicationName,
    Release,
}

/// <summary>
/// What is known of an action before anyone picks its options: the key history stores (stable, never the
/// title), its title, its least role, where it is offered and what it asks for. Each action record holds its
/// kinds as static fields; <see cref="ActionCatalog"/> finds them, so a new action is one new file.
/// </summary>
public sealed record ActionKind(string Key, string Title, ApplicationRole LeastRole)
{
    public ActionMenu Menu { get; init; }

    /// <summary>Its place within its menu.</summary>
    public int Order { get; init; }

    public ActionForm Form { get; init; }

    /// <summary>Offered on one device only (a rename), never on a group.</summary>
    public bool OneDeviceOnly { get; init; }

    /// <summary>True for what only an administrator of the organization may do, whatever their application role.</summary>
    public bool NeedsOrganizationAdministrator { get; init; }

    /// <summary>It destroys something that cannot be brought back (data, the device's record, power): shown in red.</summary>
    public bool Destroys { get; init; }

    /// <summary>One line on what it does, where it is offered as a button rather than a menu entry.</summary>
    public string Note { get; init; } = "";

    /// <summary>The action with the options a person chose; null for those built by a page of their own.</summary>
    public Func<ActionInputs, FleetAction>? Build { get; init; }

    /// <summary>True for an action on the application itself rather than on its devices.</summary>
    public bool OnApplication => Menu == ActionMenu.Application;
}
