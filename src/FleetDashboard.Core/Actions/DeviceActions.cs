using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;

namespace FleetDashboard.Core.Actions;

// The device-specific actions (Operator and above), persisted as settings or records.

/// <summary>A persisted setting that deletes held locks and lets the pending update through.</summary>
public sealed record SetLockOverride(bool On) : DeviceAction
{
    public override string Title => On ? "Override update lock" : "Respect update lock";
    public override string Verb => On ? "override their update lock" : "respect their update lock";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;

    public override Skip? Check(Device device, ApplicationContext context) =>
        device.AgentVersion < FleetVersion.DeviceActionsFrom ? Skip.AgentTooOld : null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects)
    {
        device.LockOverride = On;
        if (On) device.UpdateLockHeld = false;
    }
}

/// <summary>While on, the dashboard's configuration and releases do not apply to the device.</summary>
public sealed record SetLocalMode(bool On) : DeviceAction
{
    public override string Title => On ? "Enable local mode" : "Disable local mode";
    public override string Verb => On ? "enter local mode" : "leave local mode";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;
    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) =>
        device.LocalMode = On;
}

/// <summary>
/// Moves devices to another application of a compatible architecture; the mover needs Operator on both.
/// From host OS 2.12.0 the device's named volumes are purged; below it the old /data stays on the device.
/// </summary>
public sealed record MoveDevice(ApplicationContext Target, ApplicationAccess AccessOnTarget) : DeviceAction
{
    public override string Title => "Move to another application";
    public override string Verb => $"move to {Target.Application.Name}";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;
    public override string Options => $"to {Target.Application.Name}";
    public override bool IsFor(Actor actor) => AccessOnTarget.Actor == actor;

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context)
    {
        if (AccessOnTarget.Role is not { } role || role < ApplicationRole.Operator)
            return Decision.Refuse(
                $"Moving needs the Operator role on both applications; on {Target.Application.Name} you have {ApplicationAccess.Describe(AccessOnTarget.Role)}.");
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
        device.Architecture.CanRun(Target.Application.Architecture) ? null : Skip.WrongArchitecture;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects)
    {
        device.ApplicationId = Target.Application.Id;
        // Essentials applications have no public URLs: a device that had one loses it on the way in.
        if (!Target.Application.Type.AllowsPublicUrls()) device.PublicUrlEnabled = false;
    }
}

/// <summary>Updates the host OS of online devices to a newer version offered for their device type.</summary>
public sealed record UpdateHostOs(FleetVersion Version, bool Force = false) : DeviceAction
{
    public override string Title => "Update host OS";
    public override string Verb => $"update their host OS to {Version}";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;
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
}

/// <summary>
/// Deactivates an offline device of a non-Starter application whose organization's billing is valid,
/// charging one device-month, waived within 72 hours of the device's first provisioning.
/// </summary>
public sealed record DeactivateDevice : DeviceAction
{
    public static readonly TimeSpan FeeWaiverPeriod = TimeSpan.FromHours(72);

    public override string Title => "Deactivate";
    public override string Verb => "be deactivated";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;

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
    public override string Title => "Delete device";
    public override string Verb => "be deleted";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;
    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) =>
        device.Orphan(context.Now);
}

/// <summary>
/// Changes the device's type in the record only (not its OS), to a type of the same architecture: it fixes
/// a device provisioned as the wrong board, and must not leave an armv7hf record in an aarch64 fleet.
/// </summary>
public sealed record ChangeDeviceType(string DeviceTypeSlug) : DeviceAction
{
    public override string Title => "Change device type";
    public override string Verb => $"become {DeviceTypeSlug}";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;
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
    public override string Title => "Rename device";
    public override string Verb => $"be named {Name}";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;
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
    public override string Title => "Set tag";
    public override string Verb => $"be tagged {Name}";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;
    public override string Options => Value is null ? Name : $"{Name} = {Value}";

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) =>
        TagRules.Problem(Name, Value) is { } problem ? Decision.Refuse(problem) : Decision.Allowed;

    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) => device.SetTag(Name, Value);
}

public sealed record RemoveDeviceTag(string Name) : DeviceAction
{
    public override string Title => "Remove tag";
    public override string Verb => $"lose the tag {Name}";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;
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
    public override string Title => "Grant support access";
    public override string Verb => "be open to support";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;
    public override string Options => $"for {SupportGrant.Describe(Period)}";

    public override Decision CheckScope(IReadOnlyList<Device> devices, ApplicationContext context) =>
        SupportGrant.PeriodProblem(Period) is { } problem ? Decision.Refuse(problem) : Decision.Allowed;

    public override Skip? Check(Device device, ApplicationContext context) => null;

    public override void Apply(Device device, ApplicationContext context, ActionEffects effects) =>
        effects.Added.Add(new SupportGrant { DeviceId = device.Id, GrantedBy = effects.By.Email, GrantedAt = context.Now, Until = context.Now + Period });
}

public sealed record RevokeDeviceSupportAccess : DeviceAction
{
    public override string Title => "Revoke support access";
    public override string Verb => "be closed to support";
    public override ApplicationRole LeastRole => ApplicationRole.Operator;

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
