using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using Organizations = FleetDashboard.Core.Organizations;
using static FleetDashboard.Core.Tests.Fleet;
using static FleetDashboard.Core.Tests.People;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>Invitations: made by administrators, a one-time link for seven days, accepted only by the person it names.</summary>
public class InvitationTests
{
    private static readonly Actor Carol = new("u-carol", "carol@acme.test");

    [Fact]
    public void An_organization_administrator_invites_by_email_and_only_the_tokens_hash_is_kept()
    {
        var (plan, effects) = new InvitePerson(" dave@acme.test ", OrganizationRole.Administrator).Run(Acme());

        Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
        var invitation = Assert.IsType<Invitation>(Assert.Single(effects.Added));
        Assert.NotNull(effects.SecretToShowOnce);
        Assert.Equal(Secret.Hash(effects.SecretToShowOnce), invitation.TokenHash);
        Assert.Equal((TheOrganizationId, (int?)null, "dave@acme.test", OrganizationRole.Administrator, (ApplicationRole?)null, Now.AddDays(7), "alice@acme.test"),
            (invitation.OrganizationId, invitation.ApplicationId, invitation.Email, invitation.OrganizationRole, invitation.ApplicationRole,
                invitation.ExpiresAt, invitation.InvitedBy));
    }

    [Theory]
    [InlineData(OrganizationRole.Member)]
    [InlineData(null)]
    public void Only_an_organization_administrator_invites_to_the_organization(OrganizationRole? role)
    {
        Assert.Equal("Invite to organization needs an administrator of Acme.",
            new InvitePerson("dave@acme.test", OrganizationRole.Member).Run(Acme(Bob), role).Plan.Decision.Refusal);
    }

    [Theory]
    [InlineData(ApplicationRole.Observer)]
    [InlineData(ApplicationRole.Operator)]
    [InlineData(ApplicationRole.Developer)]
    public void An_invitation_to_an_application_needs_its_administrator(ApplicationRole role)
    {
        var decision = FleetPolicy.Plan(Member(role), new InviteMember("dave@acme.test", ApplicationRole.Observer), Context()).Decision;

        Assert.Equal($"Invite member needs the Administrator role on Kiosks; you have the {role} role.", decision.Refusal);
    }

    [Fact]
    public void An_application_administrator_invites_to_it_as_a_member_of_the_organization()
    {
        var context = Context();
        var plan = FleetPolicy.Plan(Member(ApplicationRole.Administrator), new InviteMember("dave@acme.test", ApplicationRole.Developer), context);

        Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
        var invitation = Assert.IsType<Invitation>(Assert.Single(((ApplicationAction)plan.Action).Run(context).Added));
        Assert.Equal((TheApplicationId, ApplicationRole.Developer, OrganizationRole.Member),
            (invitation.ApplicationId, invitation.ApplicationRole, invitation.OrganizationRole));
    }

    [Theory]
    [InlineData("dave")]
    [InlineData("dave@localhost")]
    [InlineData("")]
    public void Only_an_email_address_is_invited(string email)
    {
        Assert.Equal($"\"{email}\" is not an email address.",
            new InvitePerson(email, OrganizationRole.Member).Run(Acme()).Plan.Decision.Refusal);
    }

    [Fact]
    public void Someone_already_in_the_organization_or_the_application_is_not_invited()
    {
        Assert.Equal("BOB@acme.test is already in Acme.", new InvitePerson("BOB@acme.test", OrganizationRole.Member).Run(Acme()).Plan.Decision.Refusal);
        var kiosks = Context() with { Members = [new ApplicationMember { ApplicationId = TheApplicationId, UserId = Bob.UserId }] };
        var member = new InviteMember(Bob.Email, ApplicationRole.Observer).Knowing(new Found(Person: new Person(Bob.UserId, Bob.Email)));
        Assert.Equal("bob@acme.test is already a member of Kiosks.", FleetPolicy.Decide(OrganizationAdministrator(), (ApplicationAction)member, kiosks).Refusal);
    }

    [Fact]
    public void A_second_pending_invitation_for_the_same_address_is_refused_until_the_first_is_revoked()
    {
        var first = Invitation(email: "dave@acme.test", applicationId: null);
        var invite = new InvitePerson("Dave@acme.test", OrganizationRole.Member);

        Assert.Equal("Dave@acme.test already has a pending invitation to Acme: revoke it to send a new one.",
            invite.Run(Acme(Alice, first)).Plan.Decision.Refusal);
        first.RevokedAt = Now;
        Assert.True(invite.Run(Acme(Alice, first)).Plan.Decision.IsAllowed);
    }

    [Fact]
    public void The_invited_person_joins_the_application_with_its_role_and_the_organization_as_a_member()
    {
        var invitation = Invitation();
        var context = Acme(Carol, invitation);

        var (plan, effects) = new AcceptInvitation(Token).Run(context, role: null);

        Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
        Assert.Equal("carol@acme.test as Developer on Kiosks", plan.Action.Options);
        Assert.Equal(TheApplicationId, plan.Context.Application.Id);
        Assert.Equal((Now, "u-carol"), (invitation.UsedAt, invitation.UsedByUserId));
        var member = effects.Added.OfType<OrganizationMember>().Single();
        Assert.Equal((TheOrganizationId, "u-carol", OrganizationRole.Member), (member.OrganizationId, member.UserId, member.Role));
        var membership = effects.Added.OfType<ApplicationMember>().Single();
        Assert.Equal((TheApplicationId, "u-carol", ApplicationRole.Developer), (membership.ApplicationId, membership.UserId, membership.Role));
        Assert.DoesNotContain(Token, plan.Action.ToString());
    }

    [Fact]
    public void Someone_already_in_the_organization_keeps_a_higher_role_and_gains_an_invited_one()
    {
        var context = Acme(Bob, Invitation(email: Bob.Email, applicationId: null, organizationRole: OrganizationRole.Administrator));

        var (plan, effects) = new AcceptInvitation(Token).Run(context, OrganizationRole.Member);

        Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
        Assert.Empty(effects.Added);
        Assert.Equal(OrganizationRole.Administrator, context.MemberOf(Bob).Role);
    }

    [Fact]
    public void An_expired_link_says_so()
    {
        var invitation = Invitation().With(i => i.ExpiresAt = Now.AddMinutes(-1));

        Assert.Equal("This invitation expired on 2 Jun 2025 11:59 UTC: ask whoever invited you for a new one.",
            new AcceptInvitation(Token).Run(Acme(Carol, invitation), null).Plan.Decision.Refusal);
    }

    [Fact]
    public void A_used_link_says_so_and_joins_no_one_again()
    {
        var invitation = Invitation().With(i => (i.UsedAt, i.UsedByUserId) = (Now.AddHours(-2), "u-carol"));

        var (plan, effects) = new AcceptInvitation(Token).Run(Acme(Carol, invitation), null);

        Assert.Equal("This invitation was already used on 2 Jun 2025 10:00 UTC: sign in instead.", plan.Decision.Refusal);
        Assert.Empty(effects.Added);
    }

    [Fact]
    public void A_revoked_link_says_so()
    {
        var invitation = Invitation().With(i => i.RevokedAt = Now.AddHours(-1));

        Assert.Equal("This invitation was revoked on 2 Jun 2025 11:00 UTC: ask whoever invited you for a new one.",
            new AcceptInvitation(Token).Run(Acme(Carol, invitation), null).Plan.Decision.Refusal);
    }

    [Fact]
    public void An_unknown_token_opens_nothing()
    {
        Assert.Equal("This invitation link is not valid: check that it was copied whole.",
            new AcceptInvitation("not-the-token").Run(Acme(Carol, Invitation()), null).Plan.Decision.Refusal);
    }

    [Fact]
    public void Only_the_person_it_names_accepts_it()
    {
        Assert.Equal("This invitation is for carol@acme.test; you are signed in as bob@acme.test. Sign out, then open the link again.",
            new AcceptInvitation(Token).Run(Acme(Bob, Invitation()), OrganizationRole.Member).Plan.Decision.Refusal);
    }

    [Fact]
    public void An_invitation_to_an_application_no_longer_in_the_organization_is_refused()
    {
        var context = Acme(Carol, Invitation()) with { Applications = [] };

        Assert.Equal("The application this invitation opened is no longer in Acme: ask for a new invitation.",
            new AcceptInvitation(Token).Run(context, null).Plan.Decision.Refusal);
    }

    [Fact]
    public void Administrators_revoke_a_pending_invitation_once()
    {
        var invitation = Invitation();

        var (plan, _) = new RevokeInvitation(invitation.Id).Run(Acme(Alice, invitation));

        Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
        Assert.Equal("carol@acme.test", plan.Action.Options);
        Assert.Equal(Now, invitation.RevokedAt);
        Assert.Equal("The invitation of carol@acme.test is revoked already.",
            new RevokeInvitation(invitation.Id).Run(Acme(Alice, invitation)).Plan.Decision.Refusal);
    }

    [Fact]
    public void An_application_revokes_only_its_own_invitations()
    {
        var toTheOrganization = Invitation(applicationId: null);
        var context = Context() with { Invitations = [toTheOrganization] };

        var decision = FleetPolicy.Plan(OrganizationAdministrator(), new RevokeMemberInvitation(toTheOrganization.Id), context).Decision;

        Assert.Equal("Invitation #3 is not one of Kiosks.", decision.Refusal);
    }

    [Fact]
    public void A_link_works_for_seven_days()
    {
        var invitation = Invitation().With(i => i.ExpiresAt = i.CreatedAt + Organizations.Invitation.Lifetime);

        Assert.Equal(InvitationState.Pending, invitation.StateAt(invitation.CreatedAt.AddDays(7).AddTicks(-1)));
        Assert.Equal(InvitationState.Expired, invitation.StateAt(invitation.CreatedAt.AddDays(7)));
    }
}
