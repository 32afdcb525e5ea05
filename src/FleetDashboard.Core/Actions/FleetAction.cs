using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Core.Selection;

namespace FleetDashboard.Core.Actions;

/// <summary>
/// One thing a person can ask of the fleet. Each record says everything about itself: its kind (key, title,
/// least role, where it is offered), its rules, its options as history records them, its warnings, and the
/// name a person must type before it runs.
/// </summary>
public abstract record FleetAction
{
    /// <summary>
    /// False when the action carries facts gathered for someone else (a move's access on its target, a
    /// transfer's on its placeholder): the policy then refuses to weigh it at all.
    /// </summary>
    public virtual bool IsFor(Actor actor) => true;

    /// <summary>The static facts of this action: see <see cref="ActionKind"/>.</summary>
    public abstract ActionKind Kind { get; }

    /// <summary>Stored in history; never changes once an action has shipped.</summary>
    public string Key => Kind.Key;

    /// <summary>Shown in menus, dialogs and history: "Reboot".</summary>
    public string Title => Kind.Title;

    public ApplicationRole LeastRole => Kind.LeastRole;

    public bool NeedsOrganizationAdministrator => Kind.NeedsOrganizationAdministrator;

    /// <summary>The options chosen, as recorded in the history ("force", "to 2.14.0").</summary>
    public virtual string Options => "";

    /// <summary>"83 will reboot; 12 offline will not be notified", for an allowed plan.</summary>
    public abstract string Summarize(ActionPlan plan);

    /// <summary>The consequences SPEC §3 gives, said before anything happens; only for an allowed plan.</summary>
    public virtual IReadOnlyList<string> Warnings(ActionPlan plan) => [];

    /// <summary>What the person must type before it runs (the name of what is destroyed), or null.</summary>
    public virtual string? NameToType(ActionPlan plan) => null;

    /// <summary>What the action names outside its own application, for the service to load for the one who acts.</summary>
    public virtual Mention? Mentions => null;

    /// <summary>
    /// The action with what it names as the service found it for the one who acts (<see cref="Mentions"/>). Facts
    /// about another application, organization or person are never taken from a caller.
    /// </summary>
    public virtual FleetAction Knowing(Found found) => this;
}

/// <summary>Another application, an organization or a person an action names by id or email.</summary>
public sealed record Mention(int? ApplicationId = null, int? OrganizationId = null, string? PersonEmail = null, string? PersonUserId = null);

/// <summary>A person with an account, as the store knows them.</summary>
public sealed record Person(string UserId, string Email);

/// <summary>
/// What the service found of what an action <see cref="FleetAction.Mentions"/>: the application (a move's target,
/// a transfer's placeholder) with the actor's access there when they can see it, the organization when they
/// have a place in it, the person when they have an account. Null where there is nothing the actor may learn.
/// </summary>
public sealed record Found(ApplicationContext? Application = null, ApplicationAccess? Access = null,
    Organization? Organization = null, Person? Person = null);

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

    /// <summary>Invitations to the application, used, expired and revoked ones included.</summary>
    public IReadOnlyList<Invitation> Invitations { get; init; } = [];
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

    public override string Summarize(ActionPlan plan)
    {
        var parts = new List<string> { $"{plan.RunCount} will {Verb}" };
        parts.AddRange(plan.Skipped.Select(s => s.Skip.Kind == OutcomeKind.NotNotified
            ? $"{s.Count} {s.Skip.Reason} will not be notified"
            : $"{s.Count} {s.Skip.Reason}"));
        return string.Join("; ", parts);
    }

    /// <summary>Warnings said only when some device will run it: nothing will happen to warn of otherwise.</summary>
    public sealed override IReadOnlyList<string> Warnings(ActionPlan plan) =>
        plan.RunCount == 0 ? [] : Consequences(plan.ToRun.ToList());

    /// <summary>What running it does to <paramref name="toRun"/>, the devices that will.</summary>
    protected virtual IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun) => [];

    /// <summary>"2 devices on host OS 2.12.0 or later", "1 device on host OS before 2.12.0", for consequences that split there.</summary>
    protected static (string? Newer, string? Older) ByNamedVolumes(IReadOnlyList<Device> toRun)
    {
        var newer = toRun.Count(d => d.HostOsVersion >= FleetVersion.NamedVolumesFrom);
        var older = toRun.Count - newer;
        return (newer > 0 ? $"{English.Count(newer, "device")} on host OS {FleetVersion.NamedVolumesFrom} or later" : null,
            older > 0 ? $"{English.Count(older, "device")} on host OS before {FleetVersion.NamedVolumesFrom}" : null);
    }
}

/// <summary>An immediate action that the device carries out itself; a held update lock stops it unless forced.</summary>
public abstract record ImmediateDeviceAction(bool Force) : DeviceAction
{
    public override bool IsImmediate => true;
    public override string Options => Force ? "forced past update locks" : "";

    /// <summary>What the device is told to do over its live connection.</summary>
    public abstract DeviceCommand Command { get; }

    /// <summary>False for what touches no container (a blink): a held update lock does not stop it.</summary>
    protected virtual bool StoppedByUpdateLock => true;

    /// <summary>Null when any agent will do.</summary>
    protected virtual FleetVersion? LeastAgent => FleetVersion.DeviceActionsFrom;

    public override Skip? Check(Device device, ApplicationContext context)
    {
        if (device.DeactivatedAt is not null) return Skip.Inactive;
        if (LeastAgent is { } least && device.AgentVersion < least) return Skip.AgentTooOld;
        if (!device.IsReachableAt(context.Now)) return Skip.Offline;
        if (StoppedByUpdateLock && device.UpdateLockHeld && !Force && !device.LockOverride) return Skip.LockHeld;
        return null;
    }

    protected sealed override IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun) =>
        Force ? [.. What(toRun), ActionWarnings.Forced] : What(toRun);

    /// <summary>What the device does when it runs it.</summary>
    protected abstract IReadOnlyList<string> What(IReadOnlyList<Device> toRun);
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

    /// <summary>The action with what it names as the application holds it (an invitation's email), for its plan and its run.</summary>
    public virtual ApplicationAction In(ApplicationContext context) => this;

    public override string Summarize(ActionPlan plan)
    {
        var all = $"All {English.Count(plan.Context.Devices.Count, "device")} of the application";
        if (TouchesEveryDevice) return $"{all} are affected.";
        return ChangesTargetState ? $"{all} are told of their new target state at once." : "The application itself changes; no device is contacted.";
    }
}
