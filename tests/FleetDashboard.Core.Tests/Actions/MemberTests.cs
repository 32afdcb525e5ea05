using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>Members of an application: added, given another role, removed (Administrator).</summary>
public class MemberTests
{
    private static ApplicationContext WithBob(out ApplicationMember bob)
    {
        bob = new ApplicationMember { ApplicationId = TheApplicationId, UserId = Bob.UserId, Role = ApplicationRole.Operator };
        return Context() with { Members = [bob] };
    }

    [Fact]
    public void New_member_is_added_with_the_role()
    {
        var effects = new AddMember(Bob.UserId, Bob.Email, ApplicationRole.Developer).Run(Context());

        var member = Assert.IsType<ApplicationMember>(Assert.Single(effects.Added));
        Assert.Equal((TheApplicationId, Bob.UserId, ApplicationRole.Developer), (member.ApplicationId, member.UserId, member.Role));
    }

    [Fact]
    public void Someone_already_a_member_is_not_added_again()
    {
        var decision = new AddMember(Bob.UserId, Bob.Email, ApplicationRole.Developer).Check(WithBob(out _));

        Assert.Equal(AddMember.CannotAdd("bob@acme.test", "Kiosks"), decision.Refusal);
    }

    [Fact]
    public void Someone_without_an_account_cannot_be_added_and_the_refusal_does_not_say_so()
    {
        var decision = new AddMember("", "nobody@acme.test", ApplicationRole.Observer).Check(Context());

        Assert.Equal(AddMember.CannotAdd("nobody@acme.test", "Kiosks"), decision.Refusal);
        Assert.DoesNotContain("account first", decision.Refusal);
        Assert.DoesNotContain("No one signs in", decision.Refusal);
    }

    [Fact]
    public void Member_role_is_changed()
    {
        var context = WithBob(out var bob);
        var change = new ChangeMemberRole(Bob.UserId, Bob.Email, ApplicationRole.Administrator);

        Assert.True(change.Check(context).IsAllowed);
        change.Run(context);

        Assert.Equal(ApplicationRole.Administrator, bob.Role);
    }

    [Fact]
    public void Role_of_someone_not_a_member_cannot_be_changed()
    {
        var decision = new ChangeMemberRole(Bob.UserId, Bob.Email, ApplicationRole.Administrator).Check(Context());

        Assert.Equal("bob@acme.test is not a member of Kiosks.", decision.Refusal);
    }

    [Fact]
    public void Member_is_removed()
    {
        var context = WithBob(out var bob);
        var remove = new RemoveMember(Bob.UserId, Bob.Email);

        Assert.True(remove.Check(context).IsAllowed);

        Assert.Same(bob, Assert.Single(remove.Run(context).Removed));
    }

    [Fact]
    public void Someone_not_a_member_cannot_be_removed()
    {
        Assert.Equal("bob@acme.test is not a member of Kiosks.", new RemoveMember(Bob.UserId, Bob.Email).Check(Context()).Refusal);
    }
}
