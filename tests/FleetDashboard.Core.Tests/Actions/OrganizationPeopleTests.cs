using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using static FleetDashboard.Core.Tests.Fleet;
using static FleetDashboard.Core.Tests.People;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>An organization's administrators change organization roles and remove people; the last administrator stays.</summary>
public class OrganizationPeopleTests
{
    [Fact]
    public void An_administrator_makes_a_member_an_administrator_and_history_names_them_by_email()
    {
        var context = Acme();

        var (plan, _) = new ChangeOrganizationRole(Bob.UserId, OrganizationRole.Administrator).Run(context);

        Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
        Assert.Equal(OrganizationRole.Administrator, context.MemberOf(Bob).Role);
        Assert.Equal("bob@acme.test to Administrator", plan.Action.Options);
        Assert.Equal("", plan.Context.Application.Name);
    }

    [Theory]
    [InlineData(OrganizationRole.Member)]
    [InlineData(null)]
    public void Only_an_administrator_changes_roles_or_removes_people(OrganizationRole? role)
    {
        Assert.Equal("Change organization role needs an administrator of Acme.",
            new ChangeOrganizationRole(Bob.UserId, OrganizationRole.Administrator).Run(Acme(Bob), role).Plan.Decision.Refusal);
        Assert.Equal("Remove from organization needs an administrator of Acme.",
            new RemoveFromOrganization(Alice.UserId).Run(Acme(Bob), role).Plan.Decision.Refusal);
    }

    [Fact]
    public void The_last_administrator_cannot_demote_themselves()
    {
        var context = Acme();

        var (plan, _) = new ChangeOrganizationRole(Alice.UserId, OrganizationRole.Member).Run(context);

        Assert.Equal("You are the last administrator of Acme and cannot be demoted: make someone else an administrator first.", plan.Decision.Refusal);
        Assert.Equal(OrganizationRole.Administrator, context.MemberOf(Alice).Role);
    }

    [Fact]
    public void The_last_administrator_cannot_remove_themselves()
    {
        var (plan, effects) = new RemoveFromOrganization(Alice.UserId).Run(Acme());

        Assert.Equal("You are the last administrator of Acme and cannot be removed: make someone else an administrator first.", plan.Decision.Refusal);
        Assert.Empty(effects.Removed);
    }

    [Fact]
    public void The_last_administrator_is_named_when_someone_else_tries()
    {
        // Bob acting as an administrator he is not in the list: the facts say Alice is the only one.
        var decision = FleetPolicy.Plan(OrganizationRole.Administrator, new RemoveFromOrganization(Alice.UserId), Acme(Bob)).Decision;

        Assert.Equal("alice@acme.test is the last administrator of Acme and cannot be removed: make someone else an administrator first.", decision.Refusal);
    }

    [Fact]
    public void With_a_second_administrator_one_may_step_down()
    {
        var context = Acme();
        context.MemberOf(Bob).Role = OrganizationRole.Administrator;

        var (plan, _) = new ChangeOrganizationRole(Alice.UserId, OrganizationRole.Member).Run(context);

        Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
        Assert.Equal(OrganizationRole.Member, context.MemberOf(Alice).Role);
    }

    [Fact]
    public void Removing_someone_takes_them_out_of_every_application_and_revokes_their_pending_invitations()
    {
        var pending = Invitation(email: "BOB@acme.test");
        var context = Acme(Alice, pending);

        var (plan, effects) = new RemoveFromOrganization(Bob.UserId).Run(context);

        Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
        Assert.Equal("bob@acme.test will leave Acme and every application of it.", plan.Summary);
        Assert.Equal(2, effects.Removed.Count);
        Assert.Same(context.MemberOf(Bob), effects.Removed.OfType<OrganizationMember>().Single());
        Assert.Equal((TheApplicationId, Bob.UserId), effects.Removed.OfType<ApplicationMember>().Select(m => (m.ApplicationId, m.UserId)).Single());
        Assert.Equal(Now, pending.RevokedAt);
    }

    [Fact]
    public void Someone_not_in_the_organization_is_neither_changed_nor_removed()
    {
        Assert.Equal("user u-carol is not in Acme.", new RemoveFromOrganization("u-carol").Run(Acme()).Plan.Decision.Refusal);
        Assert.Equal("user u-carol is not in Acme.",
            new ChangeOrganizationRole("u-carol", OrganizationRole.Member).Run(Acme()).Plan.Decision.Refusal);
    }

    [Fact]
    public void A_role_someone_already_has_is_not_given_again()
    {
        Assert.Equal("bob@acme.test is already a Member of Acme.",
            new ChangeOrganizationRole(Bob.UserId, OrganizationRole.Member).Run(Acme()).Plan.Decision.Refusal);
    }
}
