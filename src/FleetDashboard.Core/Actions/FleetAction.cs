using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Selection;

namespace FleetDashboard.Core.Actions;

/// <summary>One thing a person can ask of the fleet, with the least role it needs.</summary>
public abstract record FleetAction
{
    /// <summary>
    /// False when the action carries facts gathered for someone else (a move's access on its target, a
    /// transfer's on its placeholder): the policy then refuses to weigh it at all.
    /// </summary>
    public virtual bool IsFor(Actor actor) => true;

    /// <summary>Shown in menus, dialogs and history: "Reboot".</summary>
    public abstract string Title { get; }

    public abstract ApplicationRole LeastRole { get; }

    /// <summary>True for what only an administrator of the organization may do, whatever their application role.</summary>
    public virtual bool NeedsOrganizationAdministrator => false;

    /// <summary>The options chosen, as recorded in the history ("force", "to 2.14.0").</summary>
    public virtual string Options => "";
}

/// <summary>Everything a rule about one application may look at, loaded fresh for each call.</summary>
public sealed record ApplicationContext(Organization Organization, Application Application, DateTimeOffset Now)
{
    /// <summary>Every device of the application, inactive ones included.</summary>
    public IReadOnlyList<Device> Devices { get; init; } = [];

    /// <summary>Devices in the organization's other Starter applications, inactive ones included.</summary>
    public int StarterDevicesElsewhere { get; init; }

    /// <summary>Names of the organization's other applications.</summary>
    public IReadOnlyList<string> OtherApplicationNames { get; init; } = [];

    public IReadOnlyList<Release> Releases { get; init; } = [];
    public IReadOnlyList<ApplicationMember> Members { get; init; } = [];

    /// <summary>Support grants of the application and of its devices, revoked and expired ones included.</summary>
    public IReadOnlyList<SupportGrant> SupportGrants { get; init; } = [];

    public IReadOnlyList<ProvisioningKey> ProvisioningKeys { get; init; } = [];
    public IReadOnlyList<SavedView> SavedViews { get; init; } = [];
    public IReadOnlyList<WallDisplayLink> WallDisplayLinks { get; init; } = [];
}

/// <summary>
/// New and removed records an action leaves for the store; changed ones are changed in place. Who acts
/// comes from the service that re-read them, never from the action's own fields.
/// </summary>
public sealed class ActionEffects(Actor by)
{
    public Actor By { get; } = by;

    /// <summary>A secret the action made (a provisioning key, a wall link) that the person sees once; only its hash is kept.</summary>
    public string? SecretToShowOnce { get; private set; }

    /// <summary>Makes a new secret to be shown once and returns the hash that is all the store keeps of it.</summary>
    public string IssueSecret()
    {
        SecretToShowOnce = Secret.New();
        return Secret.Hash(SecretToShowOnce);
    }
    public List<object> Added { get; } = [];
    public List<object> Removed { get; } = [];
}

/// <summary>An action on devices: one device, a group, or every device of an application.</summary>
public abstract record DeviceAction : FleetAction
{
    /// <summary>"reboot" in "83 will reboot".</summary>
    public abstract string Verb { get; }

    /// <summary>Immediate actions travel over a live connection, never queued; settings are persisted.</summary>
    public virtual bool IsImmediate => false;

    /// <summary>Whether the action may run over these devices at all (limits that count them together).</summary>
    public virtual Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) => Decision.Allowed;

    /// <summary>Why this device will not run the action, or null when it will.</summary>
    public abstract Skip? Check(Device device, ApplicationContext context);

    /// <summary>Persists a setting on the device. Immediate actions change nothing here: the device does the work.</summary>
    public virtual void Apply(Device device, ApplicationContext context, ActionEffects effects)
    {
    }
}

/// <summary>An immediate action that the device carries out itself; a held update lock stops it unless forced.</summary>
public abstract record ImmediateDeviceAction(bool Force) : DeviceAction
{
    public override bool IsImmediate => true;
    public override ApplicationRole LeastRole => ApplicationRole.Operator;
    public override string Options => Force ? "forced past update locks" : "";

    /// <summary>Null when any agent will do.</summary>
    protected virtual FleetVersion? LeastAgent => FleetVersion.DeviceActionsFrom;

    public override Skip? Check(Device device, ApplicationContext context)
    {
        if (device.DeactivatedAt is not null) return Skip.Inactive;
        if (LeastAgent is { } least && device.AgentVersion < least) return Skip.AgentTooOld;
        if (!device.IsReachableAt(context.Now)) return Skip.Offline;
        if (device.UpdateLockHeld && !Force && !device.LockOverride) return Skip.LockHeld;
        return null;
    }
}

/// <summary>An action on the application itself.</summary>
public abstract record ApplicationAction : FleetAction
{
    /// <summary>True when the action changes every device of the application, so each gets an outcome.</summary>
    public virtual bool TouchesEveryDevice => false;

    /// <summary>True when every device's target state changes with it (a new target release), so they are told at once.</summary>
    public virtual bool ChangesTargetState => false;

    public abstract Decision Check(ApplicationContext context);
    public abstract void Apply(ApplicationContext context, ActionEffects effects);
}
