using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;

namespace FleetDashboard.Core.Actions;

// Invitations: an administrator invites a person by email; the person opens the one-time link and joins. The link's
// token is the only permission the person has before they join, so accepting is the one organization action that
// needs no role there.

/// <summary>Invites a person by email into the organization with an organization role (its administrators only).</summary>
public sealed record InvitePerson(string Email, OrganizationRole Role) : OrganizationAction
{
    public static readonly ActionKind Invite = new("invite-person", "Invite to organization", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage, NeedsOrganizationAdministrator = true };

    public override ActionKind Kind => Invite;
    public override string Options => $"{Email} as {Role}";

    public override string Summarize(ActionPlan plan) =>
        $"{Email} will be invited into {plan.Context.Organization.Name} as {English.A(Role.ToString())}.";

    public override Decision Check(OrganizationContext context) =>
        Invitations.EmailProblem(Email)
            .Then(() => Decision.When(context.People.Any(p => Same(p.Email, Email)), $"{Email} is already in {context.Organization.Name}."))
            .Then(() => Invitations.NoPending(context.Invitations.Where(i => i.ApplicationId is null), Email, context.Organization.Name, context.Now));

    public override void Apply(OrganizationContext context, ActionEffects effects) =>
        effects.Added.Add(Invitations.Issue(context.Organization.Id, null, Email, Role, null, context.Now, effects));

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>Invites a person by email into one application with an application role (its administrators).</summary>
public sealed record InviteMember(string Email, ApplicationRole Role) : ApplicationAction
{
    public static readonly ActionKind Invite = new("invite-member", "Invite member", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Invite;
    public override string Options => $"{Email} as {Role}";

    /// <summary>The account the email belongs to, if any, as the service found it: to say that they are a member already.</summary>
    public string UserId { get; init; } = "";

    public override Mention Mentions => new(PersonEmail: Email);

    public override FleetAction Knowing(Found found) => this with { UserId = found.Person?.UserId ?? "" };

    public override string Summarize(ActionPlan plan) => $"{Email} will be invited to {plan.Context.Application.Name} as {English.A(Role.ToString())}.";

    public override Decision Check(ApplicationContext context) =>
        Invitations.EmailProblem(Email)
            .Then(() => Decision.When(UserId.Length > 0 && context.Members.Any(m => m.UserId == UserId),
                $"{Email} is already a member of {context.Application.Name}."))
            .Then(() => Invitations.NoPending(context.Invitations, Email, context.Application.Name, context.Now));

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        effects.Added.Add(Invitations.Issue(context.Organization.Id, context.Application.Id, Email, OrganizationRole.Member, Role, context.Now, effects));
}

/// <summary>Revokes any pending invitation of the organization, to it or to one of its applications (its administrators).</summary>
public sealed record RevokeInvitation(int InvitationId) : OrganizationAction
{
    public static readonly ActionKind Revoke = new("revoke-invitation", "Revoke invitation", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage, NeedsOrganizationAdministrator = true };

    public override ActionKind Kind => Revoke;

    /// <summary>Whom the invitation was for, as the store holds it.</summary>
    public string Email { get; init; } = "";

    public override string Options => Email.Length > 0 ? Email : $"invitation #{InvitationId}";

    public override OrganizationAction In(OrganizationContext context) =>
        this with { Email = context.Invitations.FirstOrDefault(i => i.Id == InvitationId)?.Email ?? "" };

    public override string Summarize(ActionPlan plan) => $"The invitation of {Email} will stop working.";

    public override Decision Check(OrganizationContext context) =>
        Invitations.Revocable(context.Invitations.FirstOrDefault(i => i.Id == InvitationId), InvitationId, context.Organization.Name, context.Now);

    public override void Apply(OrganizationContext context, ActionEffects effects) =>
        context.Invitations.Single(i => i.Id == InvitationId).RevokedAt = context.Now;
}

/// <summary>Revokes a pending invitation to the application (its administrators).</summary>
public sealed record RevokeMemberInvitation(int InvitationId) : ApplicationAction
{
    public static readonly ActionKind Revoke = new("revoke-member-invitation", "Revoke member invitation", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Revoke;

    /// <summary>Whom the invitation was for, as the store holds it.</summary>
    public string Email { get; init; } = "";

    public override string Options => Email.Length > 0 ? Email : $"invitation #{InvitationId}";

    public override ApplicationAction In(ApplicationContext context) =>
        this with { Email = context.Invitations.FirstOrDefault(i => i.Id == InvitationId)?.Email ?? "" };

    public override string Summarize(ActionPlan plan) => $"The invitation of {Email} will stop working.";

    public override Decision Check(ApplicationContext context) =>
        Invitations.Revocable(context.Invitations.FirstOrDefault(i => i.Id == InvitationId && i.ApplicationId == context.Application.Id),
            InvitationId, context.Application.Name, context.Now);

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        context.Invitations.Single(i => i.Id == InvitationId).RevokedAt = context.Now;
}

/// <summary>
/// The invited person joins: into the organization with the invitation's organization role, and into its application
/// with its application role, unless they already hold as much. Only the person whose email the invitation names,
/// signed in, and only while the link is pending.
/// </summary>
public sealed record AcceptInvitation(string Token) : OrganizationAction
{
    public static readonly ActionKind Accept = new("accept-invitation", "Accept invitation", ApplicationRole.Observer)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Accept;

    /// <summary>The invitation the token opens, as the store holds it (<see cref="In"/>); never from a caller.</summary>
    public Invitation? Invitation { get; init; }

    /// <summary>"bob@acme.test as Developer on kiosks": what history records, never the token.</summary>
    public string Joins { get; init; } = "";

    public override string Options => Joins;

    public override OrganizationAction In(OrganizationContext context)
    {
        var hash = Secret.Hash(Token);
        var invitation = context.Invitations.FirstOrDefault(i => i.TokenHash == hash);
        return this with
        {
            Invitation = invitation,
            Joins = invitation is null ? "" : $"{invitation.Email} as {invitation.RoleText} {Where(invitation, context)}",
        };
    }

    /// <summary>The token is a bearer secret: it never reaches a log through the record's own text.</summary>
    public override string ToString() => $"AcceptInvitation {{ {Joins} }}";

    public override Application? Subject(OrganizationContext context) =>
        context.Applications.FirstOrDefault(a => a.Id == Invitation?.ApplicationId);

    public override string Summarize(ActionPlan plan) => $"{Joins} will be accepted.";

    public override Decision Check(OrganizationContext context)
    {
        if (Invitation is not { } invitation) return Decision.Refuse("This invitation link is not valid: check that it was copied whole.");
        if (invitation.Problem(context.Now) is { } problem) return Decision.Refuse(problem);
        if (context.Actor is not { } actor) return Decision.Refuse("Sign in first.");
        if (actor.IsSupportStaff) return Decision.Refuse("Support staff see a customer's fleet through support access, not through invitations.");
        if (!invitation.IsFor(actor.Email))
            return Decision.Refuse($"This invitation is for {invitation.Email}; you are signed in as {actor.Email}. Sign out, then open the link again.");
        return Decision.When(invitation.ApplicationId is { } id && context.Applications.All(a => a.Id != id),
            $"The application this invitation opened is no longer in {context.Organization.Name}: ask for a new invitation.");
    }

    public override void Apply(OrganizationContext context, ActionEffects effects)
    {
        var invitation = Invitation!;
        var userId = effects.By.UserId;
        invitation.UsedAt = context.Now;
        invitation.UsedByUserId = userId;
        if (context.Members.FirstOrDefault(m => m.UserId == userId) is not { } member)
            effects.Added.Add(new OrganizationMember { OrganizationId = context.Organization.Id, UserId = userId, Role = invitation.OrganizationRole });
        else if (invitation.OrganizationRole > member.Role)
            member.Role = invitation.OrganizationRole;
        if (invitation is not { ApplicationId: { } applicationId, ApplicationRole: { } role }) return;
        if (context.ApplicationMembers.FirstOrDefault(m => m.ApplicationId == applicationId && m.UserId == userId) is not { } membership)
            effects.Added.Add(new ApplicationMember { ApplicationId = applicationId, UserId = userId, Role = role });
        else if (role > membership.Role)
            membership.Role = role;
    }

    private static string Where(Invitation invitation, OrganizationContext context) =>
        invitation.ApplicationId is { } id
            ? $"on {context.Applications.FirstOrDefault(a => a.Id == id)?.Name ?? $"application #{id}"}"
            : $"of {context.Organization.Name}";
}

/// <summary>The rules every invitation keeps, whoever makes it.</summary>
public static class Invitations
{
    /// <summary>Spaces around an address are a slip of the keyboard, not a different address.</summary>
    public static Decision EmailProblem(string email) =>
        Invitation.EmailProblem(email.Trim()) is { } problem ? Decision.Refuse(problem) : Decision.Allowed;

    /// <summary>One pending invitation per address and place: a second link would leave the first one working unseen.</summary>
    public static Decision NoPending(IEnumerable<Invitation> invitations, string email, string where, DateTimeOffset now) =>
        Decision.When(invitations.Any(i => i.IsFor(email) && i.IsPendingAt(now)),
            $"{email} already has a pending invitation to {where}: revoke it to send a new one.");

    public static Decision Revocable(Invitation? invitation, int id, string where, DateTimeOffset now) =>
        invitation is null
            ? Decision.Refuse($"Invitation #{id} is not one of {where}.")
            : Decision.When(!invitation.IsPendingAt(now),
                $"The invitation of {invitation.Email} is {invitation.StateAt(now).ToString().ToLowerInvariant()} already.");

    /// <summary>A new invitation: its token goes to the person who invites, once; only its hash is kept.</summary>
    public static Invitation Issue(int organizationId, int? applicationId, string email, OrganizationRole organizationRole,
        ApplicationRole? applicationRole, DateTimeOffset now, ActionEffects effects) => new()
    {
        OrganizationId = organizationId, ApplicationId = applicationId, Email = email.Trim(), OrganizationRole = organizationRole,
        ApplicationRole = applicationRole, TokenHash = effects.IssueSecret(), InvitedBy = effects.By.Email, CreatedAt = now,
        ExpiresAt = now + Invitation.Lifetime,
    };
}
