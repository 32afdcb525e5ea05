using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests;

/// <summary>
/// An organization's people for the rules about them: Acme, administered by Alice alone, with Bob a Member of it and an
/// Operator on Kiosks; the one who acts is Alice unless told.
/// </summary>
public static class People
{
    public const string Token = "the-link-token";

    public static OrganizationContext Acme(Actor? actor = null, params Invitation[] invitations) => new(Organization(), Now)
    {
        Actor = actor ?? Alice,
        Applications = [Application()],
        ApplicationNames = ["Kiosks"],
        Members =
        [
            new OrganizationMember { OrganizationId = TheOrganizationId, UserId = Alice.UserId, Role = OrganizationRole.Administrator },
            new OrganizationMember { OrganizationId = TheOrganizationId, UserId = Bob.UserId, Role = OrganizationRole.Member },
        ],
        People = [new Person(Alice.UserId, Alice.Email), new Person(Bob.UserId, Bob.Email)],
        ApplicationMembers = [new ApplicationMember { ApplicationId = TheApplicationId, UserId = Bob.UserId, Role = ApplicationRole.Operator }],
        Invitations = invitations,
    };

    /// <summary>A pending invitation made a day ago, to Kiosks as a Developer unless told, whose link carries <see cref="Token"/>.</summary>
    public static Invitation Invitation(string email = "carol@acme.test", int? applicationId = TheApplicationId, string token = Token,
        int id = 3, OrganizationRole organizationRole = OrganizationRole.Member) => new()
    {
        Id = id, OrganizationId = TheOrganizationId, ApplicationId = applicationId, Email = email, OrganizationRole = organizationRole,
        ApplicationRole = applicationId is null ? null : ApplicationRole.Developer, TokenHash = Secret.Hash(token), InvitedBy = Alice.Email,
        CreatedAt = Now.AddDays(-1), ExpiresAt = Now.AddDays(-1) + Organizations.Invitation.Lifetime,
    };

    public static OrganizationMember MemberOf(this OrganizationContext context, Actor person) => context.Members.Single(m => m.UserId == person.UserId);

    /// <summary>What the pipeline does: plans as <paramref name="role"/> (the action filled in from the store), then applies what was allowed.</summary>
    public static (ActionPlan Plan, ActionEffects Effects) Run(this OrganizationAction action, OrganizationContext context,
        OrganizationRole? role = OrganizationRole.Administrator)
    {
        var plan = FleetPolicy.Plan(role, action, context);
        var effects = new ActionEffects(context.Actor ?? Alice);
        if (plan.Decision.IsAllowed) ((OrganizationAction)plan.Action).Apply(context, effects);
        return (plan, effects);
    }
}
