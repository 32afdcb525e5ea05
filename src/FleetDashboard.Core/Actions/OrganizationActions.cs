using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;

namespace FleetDashboard.Core.Actions;

// What only an administrator of the organization may do.

/// <summary>Everything a rule about one organization may look at.</summary>
public sealed record OrganizationContext(Organization Organization, DateTimeOffset Now)
{
    public IReadOnlyList<string> ApplicationNames { get; init; } = [];

    /// <summary>Who acts, as the service re-read them: an invitation is accepted only by the person it names.</summary>
    public Actor? Actor { get; init; }

    public IReadOnlyList<Application> Applications { get; init; } = [];

    /// <summary>The organization's people with their organization roles, and their emails.</summary>
    public IReadOnlyList<OrganizationMember> Members { get; init; } = [];
    public IReadOnlyList<Person> People { get; init; } = [];

    /// <summary>Memberships of the organization's applications: a person removed from the organization leaves them all.</summary>
    public IReadOnlyList<ApplicationMember> ApplicationMembers { get; init; } = [];

    /// <summary>Every invitation of the organization and of its applications, used, expired and revoked ones included.</summary>
    public IReadOnlyList<Invitation> Invitations { get; init; } = [];

    public string EmailOf(string userId) => People.FirstOrDefault(p => p.UserId == userId)?.Email ?? $"user {userId}";

    public int Administrators => Members.Count(m => m.Role == OrganizationRole.Administrator);
}

/// <summary>
/// An action on an organization itself rather than on one of its applications. Its plan is over no device, and
/// stands on the application it concerns when there is one (the one it makes, the one an invitation opens).
/// </summary>
public abstract record OrganizationAction : FleetAction
{
    public abstract Decision Check(OrganizationContext context);

    /// <summary>The application the action is about, as it will be: what its plan and its run name. Null for one about people.</summary>
    public virtual Application? Subject(OrganizationContext context) => null;

    /// <summary>
    /// The action with what it names as the organization holds it (a person's email, an invitation): history then
    /// reads "bob@acme.test to Administrator", and no such fact is ever taken from a caller.
    /// </summary>
    public virtual OrganizationAction In(OrganizationContext context) => this;

    public abstract void Apply(OrganizationContext context, ActionEffects effects);
}

public sealed record CreateApplication(string Name, ApplicationType Type, string DefaultDeviceType) : OrganizationAction
{
    public static readonly ActionKind Create = new("create-application", "Create application", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage, NeedsOrganizationAdministrator = true };

    public override ActionKind Kind => Create;
    public override string Options => $"{Name}: {Type}, {DefaultDeviceType}";

    public override string Summarize(ActionPlan plan) =>
        $"{Name} ({Type}, {DefaultDeviceType}) will be created in {plan.Context.Organization.Name}";

    public override Decision Check(OrganizationContext context) =>
        (Names.Problem(Name, "application") is { } problem ? Decision.Refuse(problem) : Decision.Allowed)
            .Then(() => Decision.When(context.ApplicationNames.Any(n => Names.Same(n, Name)),
                $"{context.Organization.Name} already has an application named {Name}."))
            .Then(() => Decision.When(!Type.CanBeChosen(), $"{Type} applications can no longer be created."))
            .Then(() => Decision.When(Type.IsPaid() && context.Organization.Plan != OrganizationPlan.Paid,
                $"{Type} is a paid type: {context.Organization.Name} needs the Paid plan."))
            .Then(() => Decision.When(DeviceType.Find(DefaultDeviceType) is null,
                $"\"{DefaultDeviceType}\" is not a known device type."));

    public override Application Subject(OrganizationContext context) => new()
    {
        OrganizationId = context.Organization.Id,
        Name = Name,
        Type = Type,
        DefaultDeviceType = DeviceType.Find(DefaultDeviceType)?.Slug ?? DefaultDeviceType,
        CreatedAt = context.Now,
    };

    public override void Apply(OrganizationContext context, ActionEffects effects) => effects.Added.Add(Subject(context));
}

/// <summary>
/// Moves an application to another organization. That organization must hold an empty application of the
/// same name (the placeholder) on which the transferring user is a Developer or above (as every
/// administrator of that organization is). The application keeps its id, devices, releases and device
/// states; every member keeps their membership except the transferring user; the placeholder is deleted.
/// </summary>
public sealed record TransferApplication(Organization Target, ApplicationContext? Placeholder, ApplicationAccess? AccessOnPlaceholder)
    : ApplicationAction
{
    public static readonly ActionKind Transfer = new("transfer-application", "Transfer application", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage, NeedsOrganizationAdministrator = true };

    public override ActionKind Kind => Transfer;
    public override string Options => $"to {Target.Name}";
    public override bool IsFor(Actor actor) => AccessOnPlaceholder is null || AccessOnPlaceholder.Actor == actor;

    /// <summary>A transfer to the organization with this id, before the service has looked at it for the one who transfers.</summary>
    public static TransferApplication To(int organizationId) =>
        new(new Organization { Id = organizationId, Name = $"organization #{organizationId}" }, null, null);

    public override Mention Mentions => new(OrganizationId: Target.Id);

    /// <summary>Someone with no place in the target organization learns nothing of it, not even its name.</summary>
    public override FleetAction Knowing(Found found) =>
        found.Organization is { } target ? new TransferApplication(target, found.Application, found.Access) : To(Target.Id);

    public override Decision Check(ApplicationContext context)
    {
        var name = context.Application.Name;
        if (Target.Id == context.Organization.Id)
            return Decision.Refuse($"{name} already belongs to {Target.Name}.");
        // One that exists but that the person may not see reads the same as none: its existence is not theirs to learn.
        if (Placeholder is null || !Names.Same(Placeholder.Application.Name, name) || Placeholder.Organization.Id != Target.Id
            || AccessOnPlaceholder is not { CanSee: true })
            return Decision.Refuse($"{Target.Name} has no application named {name} that you can see: create an empty one there first.");
        // The role first: what the placeholder holds is none of the business of someone without one there.
        if (AccessOnPlaceholder?.Role is not { } role || role < ApplicationRole.Developer)
            return Decision.Refuse(
                $"You need the Developer role on {name} in {Target.Name}, or to administer {Target.Name}; you have {ApplicationAccess.Describe(AccessOnPlaceholder?.Role)}.");
        if (Placeholder.Devices.Count > 0 || Placeholder.Releases.Count > 0)
            return Decision.Refuse(
                $"{name} in {Target.Name} must be empty; it has {English.Count(Placeholder.Devices.Count, "device")} and {English.Count(Placeholder.Releases.Count, "release")}.");
        // Not preconditions of the transfer itself, but rules of the organization it lands in, which hold always.
        var type = context.Application.Type;
        if (type.IsPaid() && Target.Plan != OrganizationPlan.Paid)
            return Decision.Refuse($"{name} is {English.A(type.ToString())} application, a paid type: {Target.Name} needs the Paid plan first.");
        if (type == ApplicationType.Starter
            && Placeholder.StarterDevicesElsewhere + context.Devices.Count > ApplicationTypeRules.StarterDeviceLimit)
            return Decision.Refuse(
                $"Starter applications of {Target.Name} hold at most {ApplicationTypeRules.StarterDeviceLimit} devices together; this transfer would make {Placeholder.StarterDevicesElsewhere + context.Devices.Count}.");
        return Decision.Allowed;
    }

    public override void Apply(ApplicationContext context, ActionEffects effects)
    {
        var placeholder = Placeholder!;
        var transferring = AccessOnPlaceholder!.Actor.UserId;
        effects.Removed.AddRange(placeholder.Members);
        effects.Removed.AddRange(placeholder.SavedViews);
        foreach (var key in placeholder.ProvisioningKeys.Where(k => k.IsActive)) key.RevokedAt = context.Now;
        foreach (var link in placeholder.WallDisplayLinks.Where(l => l.IsActive)) link.RevokedAt = context.Now;
        effects.Removed.Add(placeholder.Application);
        effects.Removed.AddRange(context.Members.Where(m => m.UserId == transferring));
        // What the old organization handed out stops working: its keys, wall links and support grants.
        foreach (var key in context.ProvisioningKeys.Where(k => k.IsActive)) key.RevokedAt = context.Now;
        foreach (var link in context.WallDisplayLinks.Where(l => l.IsActive)) link.RevokedAt = context.Now;
        foreach (var grant in context.SupportGrants.Where(g => g.InForceAt(context.Now))) grant.RevokedAt = context.Now;
        context.Application.OrganizationId = Target.Id;
    }
}
