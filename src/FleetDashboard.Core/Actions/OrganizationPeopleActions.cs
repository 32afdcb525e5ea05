using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;

namespace FleetDashboard.Core.Actions;

// An organization's administrators decide who is in it and with which organization role. An organization always
// keeps one administrator: without one, no one could ever manage its people or create an application in it again.

/// <summary>Makes a person of the organization an Administrator or a Member; the last administrator stays one.</summary>
public sealed record ChangeOrganizationRole(string UserId, OrganizationRole Role) : OrganizationAction
{
    public static readonly ActionKind Change = new("change-organization-role", "Change organization role", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage, NeedsOrganizationAdministrator = true };

    public override ActionKind Kind => Change;

    /// <summary>Filled from the organization's people (<see cref="In"/>), never from a caller.</summary>
    public string Email { get; init; } = "";

    public override string Options => $"{Email} to {Role}";

    public override OrganizationAction In(OrganizationContext context) => this with { Email = context.EmailOf(UserId) };

    public override string Summarize(ActionPlan plan) => $"{Email} will be {English.A(Role.ToString())} of {plan.Context.Organization.Name}.";

    public override Decision Check(OrganizationContext context) =>
        context.Members.FirstOrDefault(m => m.UserId == UserId) is not { } member
            ? Decision.Refuse($"{Email} is not in {context.Organization.Name}.")
            : Decision.When(member.Role == Role, $"{Email} is already {English.A(Role.ToString())} of {context.Organization.Name}.")
                .Then(() => Role == OrganizationRole.Administrator ? Decision.Allowed : LastAdministrator.Stays(context, UserId, "demoted"));

    public override void Apply(OrganizationContext context, ActionEffects effects) =>
        context.Members.Single(m => m.UserId == UserId).Role = Role;
}

/// <summary>
/// Takes a person out of the organization and so out of every application of it: their memberships go, and the
/// invitations still pending for their address are revoked. The last administrator cannot be removed.
/// </summary>
public sealed record RemoveFromOrganization(string UserId) : OrganizationAction
{
    public static readonly ActionKind Remove = new("remove-from-organization", "Remove from organization", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage, NeedsOrganizationAdministrator = true };

    public override ActionKind Kind => Remove;

    /// <summary>Filled from the organization's people (<see cref="In"/>), never from a caller.</summary>
    public string Email { get; init; } = "";

    public override string Options => Email;

    public override OrganizationAction In(OrganizationContext context) => this with { Email = context.EmailOf(UserId) };

    public override string Summarize(ActionPlan plan) =>
        $"{Email} will leave {plan.Context.Organization.Name} and every application of it.";

    public override Decision Check(OrganizationContext context) =>
        Decision.When(context.Members.All(m => m.UserId != UserId), $"{Email} is not in {context.Organization.Name}.")
            .Then(() => LastAdministrator.Stays(context, UserId, "removed"));

    public override void Apply(OrganizationContext context, ActionEffects effects)
    {
        effects.Removed.Add(context.Members.Single(m => m.UserId == UserId));
        effects.Removed.AddRange(context.ApplicationMembers.Where(m => m.UserId == UserId));
        foreach (var invitation in context.Invitations.Where(i => i.IsFor(Email) && i.IsPendingAt(context.Now)))
            invitation.RevokedAt = context.Now;
    }
}

/// <summary>The rule that an organization always keeps an administrator, which demoting and removing both keep.</summary>
public static class LastAdministrator
{
    /// <summary>Refuses to take away the administrator role of <paramref name="userId"/> when no other administrator would be left.</summary>
    public static Decision Stays(OrganizationContext context, string userId, string what)
    {
        var isAdministrator = context.Members.Any(m => m.UserId == userId && m.Role == OrganizationRole.Administrator);
        if (!isAdministrator || context.Administrators > 1) return Decision.Allowed;
        var organization = context.Organization.Name;
        return Decision.Refuse(context.Actor?.UserId == userId
            ? $"You are the last administrator of {organization} and cannot be {what}: make someone else an administrator first."
            : $"{context.EmailOf(userId)} is the last administrator of {organization} and cannot be {what}: make someone else an administrator first.");
    }
}
