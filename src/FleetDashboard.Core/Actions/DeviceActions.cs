using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;

namespace FleetDashboard.Core.Actions;

// The device-specific actions (Operator and above), persisted as settings or records.

/// <summary>A persisted setting that deletes held locks and lets the pending update through.</summary>
public sealed record SetLockOverride(bool On) : DeviceAction
{
    public static readonly ActionKind Override = new("lock-override-on", "Override update lock", ApplicationRole.Operator)
        { Menu = ActionMenu.DeviceSpecific, Order = 10, Build = _ => new SetLockOverride(true) };
    public static readonly ActionKind Respect = new("lock-override-off", "Respect update lock", ApplicationRole.Operator)
        { Menu = ActionMenu.DeviceSpecific, Order = 20, Build = _ => new SetLockOverride(false) };

    public override ActionKind Kind => On ? Override : Respect;
    public override string Verb => On ? "override their update lock" : "respect their update lock";

    public override Skip? Check(Device device, ApplicationContext context) =>
        device.AgentVersion < FleetVersion.DeviceActionsFrom ? Skip.AgentTooOld : null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects)
    {
        device.LockOverride = On;
        if (On) device.UpdateLockHeld = false;
    }

    protected override IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun) =>
        On ? ["Held update locks are deleted and the pending update goes through."] : [];
}

/// <summary>While on, the dashboard's configuration and releases do not apply to the device.</summary>
public sealed record SetLocalMode(bool On) : DeviceAction
{
    public static readonly ActionKind Enable = new("local-mode-on", "Enable local mode", ApplicationRole.Operator)
        { Menu = ActionMenu.DeviceSpecific, Order = 30, Build = _ => new SetLocalMode(true) };
    public static readonly ActionKind Disable = new("local-mode-off", "Disable local mode", ApplicationRole.Operator)
        { Menu = ActionMenu.DeviceSpecific, Order = 40, Build = _ => new SetLocalMode(false) };

    public override ActionKind Kind => On ? Enable : Disable;
    public override string Verb => On ? "enter local mode" : "leave local mode";
    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) =>
        device.LocalMode = On;

    protected override IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun) =>
        On ? ["While local mode is on, the dashboard's configuration and releases do not apply."] : [];
}

/// <summary>
/// Moves devices to another application of a compatible architecture; the mover needs Operator on both.
/// From host OS 2.12.0 the device's named volumes are purged; below it the old /data stays on the device.
/// </summary>
public sealed record MoveDevice(int TargetApplicationId) : DeviceAction
{
    public static readonly ActionKind Move = new("move-device", "Move to another application", ApplicationRole.Operator)
        { Menu = ActionMenu.DeviceSpecific, Order = 50, Form = ActionForm.TargetApplication, Build = i => new MoveDevice(i.TargetApplicationId ?? 0) };

    /// <summary>
    /// The target as the service loaded it for the one who moves (<see cref="FleetAction.Mentions"/>), never
    /// as a caller handed it in; null when they cannot see it.
    /// </summary>
    public ApplicationContext? Target { get; init; }

    public ApplicationAccess? AccessOnTarget { get; init; }

    public override ActionKind Kind => Move;
    public override string Verb => $"move to {TargetName}";
    public override string Options => $"to {TargetName}";
    public override bool IsFor(Actor actor) => AccessOnTarget is null || AccessOnTarget.Actor == actor;
    public override Mention Mentions => new(ApplicationId: TargetApplicationId);

    public override FleetAction Knowing(Found found) => this with { Target = found.Application, AccessOnTarget = found.Access };

    /// <summary>Whenever the mover cannot see the target, the move names only its id.</summary>
    private string TargetName => Target?.Application.Name ?? $"application #{TargetApplicationId}";

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context)
    {
        if (Target is null || AccessOnTarget?.Role is not { } role || role < ApplicationRole.Operator)
            return Decision.Refuse(
                $"Moving needs the Operator role on both applications; on {TargetName} you have {ApplicationAccess.Describe(AccessOnTarget?.Role)}.");
        if (Target.Application.Id == context.Application.Id)
            return Decision.Refuse($"The devices are already in {Target.Application.Name}.");
        // Devices leaving another Starter application of the same organization are counted there already.
        var alreadyCounted = context.Application.Type == ApplicationType.Starter && context.Organization.Id == Target.Organization.Id;
        if (Target.Application.Type == ApplicationType.Starter && !alreadyCounted)
        {
            var arriving = devices.Count(d => Check(d, context) is null);
            var after = Target.StarterDevicesElsewhere + Target.Devices.Count + arriving;
            if (after > ApplicationTypeRules.StarterDeviceLimit)
                return Decision.Refuse(
                    $"Starter applications of {Target.Organization.Name} hold at most {ApplicationTypeRules.StarterDeviceLimit} devices together; this move would make {after}.");
        }
        return Decision.Allowed;
    }

    public override Skip? Check(Device device, ApplicationContext context) =>
        Target is not null && device.Architecture.CanRun(Target.Application.Architecture) ? null : Skip.WrongArchitecture;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects)
    {
        device.ApplicationId = Target!.Application.Id;
        // A pin names a release of the old application; in the new one the device follows its target.
        device.PinnedReleaseId = null;
        // Essentials applications have no public URLs: a device that had one loses it on the way in.
        if (!Target.Application.Type.AllowsPublicUrls()) device.PublicUrlEnabled = false;
        // Support access was given by the device's old owners for what it held there; kept, it would open the new
        // application's history (another organization's, maybe) to support staff.
        foreach (var grant in context.SupportGrants.Where(g => g.DeviceId == device.Id && g.InForceAt(context.Now)))
            grant.RevokedAt = context.Now;
    }

    protected override IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun)
    {
        var (newer, older) = ByNamedVolumes(toRun);
        return
        [
            .. newer is null ? [] : new[] { $"{newer}: named volumes are purged on the way." },
            .. older is null ? [] : new[] { $"{older}: the old /data stays on the device and comes back if moved back." },
            $"The devices appear in {TargetName} at once and run its release.",
            "Support access to them ends.",
        ];
    }

    /// <summary>A move that purges named volumes destroys data like a purge, and asks for the same name.</summary>
    public override string? NameToType(ActionPlan plan) =>
        plan.ToRun.Any(d => d.HostOsVersion >= FleetVersion.NamedVolumesFrom) ? plan.DeviceOrApplicationName : null;
}

/// <summary>Updates the host OS of online devices to a newer version offered for their device type.</summary>
public sealed record UpdateHostOs(FleetVersion Version, bool Force = false) : DeviceAction
{
    public static readonly ActionKind Update = new("update-host-os", "Update host OS", ApplicationRole.Operator)
    {
        Menu = ActionMenu.DeviceSpecific, Order = 60, Form = ActionForm.HostOs,
        Build = i => new UpdateHostOs(i.HostOs ?? new(0, 0, 0), i.Force),
    };

    public override ActionKind Kind => Update;
    public override string Verb => $"update their host OS to {Version}";
    public override string Options => Force ? $"to {Version}, forced past update locks" : $"to {Version}";

    public override Skip? Check(Device device, ApplicationContext context)
    {
        if (device.DeactivatedAt is not null) return Skip.Inactive;
        if (device.HostOsVersion >= Version) return Skip.Refused($"already on {device.HostOsVersion}");
        if (!DeviceType.Get(device.DeviceType).Offers(Version))
            return Skip.Refused($"{Version} is not offered for {device.DeviceType}");
        if (!device.IsReachableAt(context.Now)) return Skip.Offline;
        if (device.UpdateLockHeld && !Force && !device.LockOverride) return Skip.LockHeld;
        return null;
    }

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects)
    {
        device.TargetHostOsVersion = Version;
        device.TargetHostOsForced = Force;
    }

    protected override IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun) => Force ? [ActionWarnings.Forced] : [];
}

/// <summary>
/// Deactivates an offline device of a non-Starter application whose organization's billing is valid,
/// charging one device-month, waived within 72 hours of the device's first provisioning.
/// </summary>
public sealed record DeactivateDevice : DeviceAction
{
    public static readonly TimeSpan FeeWaiverPeriod = TimeSpan.FromHours(72);

    public static readonly ActionKind Deactivate = new("deactivate", "Deactivate", ApplicationRole.Operator)
    {
        Menu = ActionMenu.Dangerous, Order = 10, Build = _ => new DeactivateDevice(),
        Note = "Only while the device is offline. Charges one device-month, waived within 72 hours of provisioning.",
    };

    public override ActionKind Kind => Deactivate;
    public override string Verb => "be deactivated";

    protected override IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun) =>
    [
        "Each device is charged one device-month to the ledger, waived within 72 hours of its first provisioning.",
        "A deactivated device stays inactive until it next comes online.",
    ];

    /// <summary>It charges a fee: the name is typed as for what cannot be undone.</summary>
    public override string? NameToType(ActionPlan plan) => plan.DeviceOrApplicationName;

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) =>
        Decision.When(context.Application.Type == ApplicationType.Starter, "Devices of Starter applications cannot be deactivated.")
            .Then(() => Decision.When(!context.Organization.BillingAccountValid,
                $"Deactivation needs a valid billing account; {context.Organization.Name}'s is not."));

    public override Skip? Check(Device device, ApplicationContext context)
    {
        if (device.DeactivatedAt is not null) return Skip.Refused("already deactivated");
        return device.IsReachableAt(context.Now) ? Skip.Refused("device is online: only an offline device can be deactivated") : null;
    }

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects)
    {
        device.DeactivatedAt = context.Now;
        effects.Added.Add(Fee(context.Organization, device, context.Now));
    }

    /// <summary>The ledger line for deactivating this device now: one device-month, or a waived line of 0.</summary>
    public static LedgerEntry Fee(Organization organization, Device device, DateTimeOffset now)
    {
        var waived = now - device.ProvisionedAt < FeeWaiverPeriod;
        return new LedgerEntry
        {
            OrganizationId = organization.Id,
            At = now,
            DeviceId = device.Id,
            AmountCents = waived ? 0 : organization.DeviceMonthCents,
            Description = waived
                ? $"Deactivation of {device.Name} ({device.ShortUuid}): fee waived, provisioned less than 72 hours ago"
                : $"Deactivation of {device.Name} ({device.ShortUuid}): one device-month",
        };
    }
}

/// <summary>Disassociates the device: its credential stops working; it keeps running what it had.</summary>
public sealed record DeleteDevice : DeviceAction
{
    public static readonly ActionKind Delete = new("delete-device", "Delete device", ApplicationRole.Operator)
    {
        Menu = ActionMenu.Dangerous, Order = 30, Destroys = true, Build = _ => new DeleteDevice(),
        Note = "Disassociates the device: its credential stops working and it never reconnects.",
    };

    public override ActionKind Kind => Delete;
    public override string Verb => "be deleted";
    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) =>
        device.Orphan(context.Now);

    protected override IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun) =>
    [
        "The device is disassociated: its credential stops working; it keeps running what it had but never reconnects.",
        "This cannot be undone.",
    ];

    public override string? NameToType(ActionPlan plan) => plan.DeviceOrApplicationName;
}

/// <summary>
/// Changes the device's type in the record only (not its OS), to a type of the same architecture: it fixes
/// a device provisioned as the wrong board, and must not leave an armv7hf record in an aarch64 fleet.
/// </summary>
public sealed record ChangeDeviceType(string DeviceTypeSlug) : DeviceAction
{
    public static readonly ActionKind Change = new("change-device-type", "Change device type", ApplicationRole.Operator)
    {
        Menu = ActionMenu.Dangerous, Order = 20, Form = ActionForm.DeviceType, Build = i => new ChangeDeviceType(i.DeviceType),
        Note = "Corrects the record to another board of the same architecture; the OS is not touched.",
    };

    public override ActionKind Kind => Change;
    public override string Verb => $"become {DeviceTypeSlug}";

    protected override IReadOnlyList<string> Consequences(IReadOnlyList<Device> toRun) =>
        ["Only the record changes, not the operating system on the device."];
    public override string Options => $"to {DeviceTypeSlug}";

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) =>
        Decision.When(DeviceType.Find(DeviceTypeSlug) is null, $"\"{DeviceTypeSlug}\" is not a known device type.");

    public override Skip? Check(Device device, ApplicationContext context)
    {
        var type = DeviceType.Get(DeviceTypeSlug);
        if (device.DeviceType == type.Slug) return Skip.Refused($"already {type.Slug}");
        return device.Architecture == type.Architecture ? null : Skip.WrongArchitecture;
    }

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) =>
        device.DeviceType = DeviceType.Get(DeviceTypeSlug).Slug;
}

public sealed record RenameDevice(string Name) : DeviceAction
{
    public static readonly ActionKind Rename = new("rename-device", "Rename device", ApplicationRole.Operator)
        { Menu = ActionMenu.DeviceSpecific, Order = 90, Form = ActionForm.DeviceName, OneDeviceOnly = true, Build = i => new RenameDevice(i.Name.Trim()) };

    public override ActionKind Kind => Rename;
    public override string Verb => $"be named {Name}";
    public override string Options => $"to \"{Name}\"";

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) =>
        Names.Problem(Name, "device") is { } problem ? Decision.Refuse(problem)
            : Decision.When(devices.Count > 1, "Only one device at a time can be renamed.");

    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) => device.Name = Name;
}

/// <summary>Adds a tag, or replaces the value of the tag of that name.</summary>
public sealed record SetDeviceTag(string Name, string? Value) : DeviceAction
{
    public static readonly ActionKind Set = new("set-tag", "Set tag", ApplicationRole.Operator)
    {
        Menu = ActionMenu.DeviceSpecific, Order = 100, Form = ActionForm.Tag,
        Build = i => new SetDeviceTag(i.TagName.Trim(), string.IsNullOrEmpty(i.TagValue) ? null : i.TagValue),
    };

    public override ActionKind Kind => Set;
    public override string Verb => $"be tagged {Name}";
    public override string Options => Value is null ? Name : $"{Name} = {Value}";

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) =>
        TagRules.Problem(Name, Value) is { } problem ? Decision.Refuse(problem) : Decision.Allowed;

    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) => device.SetTag(Name, Value);
}

public sealed record RemoveDeviceTag(string Name) : DeviceAction
{
    public static readonly ActionKind Remove = new("remove-tag", "Remove tag", ApplicationRole.Operator)
        { Menu = ActionMenu.DeviceSpecific, Order = 110, Form = ActionForm.TagName, Build = i => new RemoveDeviceTag(i.TagName.Trim()) };

    public override ActionKind Kind => Remove;
    public override string Verb => $"lose the tag {Name}";
    public override string Options => Name;

    public override Skip? Check(Device device, ApplicationContext context) =>
        device.Tags.Any(t => t.Name == Name) ? null : Skip.Refused($"no tag {Name}");

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) =>
        device.Tags.RemoveAll(t => t.Name == Name);
}

/// <summary>
/// Lets support staff see the device for <paramref name="Period"/> (1 hour to 30 days), counted from when
/// the operator confirms: a period, not an instant, so "1 hour" chosen in a dialog is still 1 hour then.
/// </summary>
public sealed record GrantDeviceSupportAccess(TimeSpan Period) : DeviceAction
{
    public static readonly ActionKind Grant = new("grant-device-support", "Grant support access", ApplicationRole.Operator)
        { Menu = ActionMenu.DeviceSpecific, Order = 70, Form = ActionForm.SupportPeriod, Build = i => new GrantDeviceSupportAccess(i.SupportPeriod) };

    public override ActionKind Kind => Grant;
    public override string Verb => "be open to support";
    public override string Options => $"for {SupportGrant.Describe(Period)}";

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) =>
        SupportGrant.PeriodProblem(Period) is { } problem ? Decision.Refuse(problem) : Decision.Allowed;

    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) =>
        effects.Added.Add(new SupportGrant { DeviceId = device.Id, GrantedBy = effects.By.Email, GrantedAt = context.Now, Until = context.Now + Period });
}

public sealed record RevokeDeviceSupportAccess : DeviceAction
{
    public static readonly ActionKind Revoke = new("revoke-device-support", "Revoke support access", ApplicationRole.Operator)
        { Menu = ActionMenu.DeviceSpecific, Order = 80, Build = _ => new RevokeDeviceSupportAccess() };

    public override ActionKind Kind => Revoke;
    public override string Verb => "be closed to support";

    public override Skip? Check(Device device, ApplicationContext context) =>
        context.SupportGrants.Any(g => g.DeviceId == device.Id && g.InForceAt(context.Now))
            ? null
            : Skip.Refused("no support access in force");

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects)
    {
        foreach (var grant in context.SupportGrants.Where(g => g.DeviceId == device.Id && g.InForceAt(context.Now)))
            grant.RevokedAt = context.Now;
    }
}
