using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Access;

/// <summary>SPEC §2: organization administrators act as Administrator everywhere; members have their role; support staff only with a grant.</summary>
public class ApplicationAccessTests
{
    public static TheoryData<ApplicationRole?> AnyMembership() =>
        [null, ApplicationRole.Observer, ApplicationRole.Operator, ApplicationRole.Developer, ApplicationRole.Administrator];

    [Theory]
    [MemberData(nameof(AnyMembership))]
    public void Organization_administrator_is_Administrator_on_every_application(ApplicationRole? membership)
    {
        var access = ApplicationAccess.Of(Alice, OrganizationRole.Administrator, membership, supportGrantInForce: false);

        Assert.Equal(ApplicationRole.Administrator, access.Role);
        Assert.True(access.IsOrganizationAdministrator);
        Assert.True(access.CanSee);
    }

    [Theory]
    [InlineData(ApplicationRole.Observer)]
    [InlineData(ApplicationRole.Operator)]
    [InlineData(ApplicationRole.Developer)]
    [InlineData(ApplicationRole.Administrator)]
    public void Organization_member_has_the_role_of_their_membership(ApplicationRole membership)
    {
        var access = ApplicationAccess.Of(Alice, OrganizationRole.Member, membership, supportGrantInForce: false);

        Assert.Equal(membership, access.Role);
        Assert.False(access.IsOrganizationAdministrator);
        Assert.True(access.CanSee);
    }

    [Fact]
    public void Organization_member_without_membership_has_no_role_and_sees_nothing()
    {
        var access = ApplicationAccess.Of(Alice, OrganizationRole.Member, null, supportGrantInForce: false);

        Assert.Null(access.Role);
        Assert.False(access.CanSee);
    }

    [Fact]
    public void Someone_outside_the_organization_has_no_role()
    {
        var access = ApplicationAccess.Of(Alice, null, null, supportGrantInForce: true);

        Assert.Null(access.Role);
        Assert.False(access.CanSee);
    }

    [Theory]
    [MemberData(nameof(AnyMembership))]
    public void Support_staff_with_a_grant_in_force_is_only_an_Observer_whatever_their_membership(ApplicationRole? membership)
    {
        var access = ApplicationAccess.Of(Support, OrganizationRole.Administrator, membership, supportGrantInForce: true);

        Assert.Equal(ApplicationRole.Observer, access.Role);
        Assert.False(access.IsOrganizationAdministrator);
        Assert.True(access.CanSee);
    }

    [Theory]
    [MemberData(nameof(AnyMembership))]
    public void Support_staff_without_a_grant_sees_nothing_whatever_their_membership(ApplicationRole? membership)
    {
        var access = ApplicationAccess.Of(Support, OrganizationRole.Administrator, membership, supportGrantInForce: false);

        Assert.Null(access.Role);
        Assert.False(access.CanSee);
        Assert.False(access.IsOrganizationAdministrator);
    }

    [Fact]
    public void Roles_are_ordered_Observer_Operator_Developer_Administrator()
    {
        Assert.Equal(
            [ApplicationRole.Observer, ApplicationRole.Operator, ApplicationRole.Developer, ApplicationRole.Administrator],
            Enum.GetValues<ApplicationRole>().Order());
    }

    [Theory]
    [InlineData(null, "no role on it")]
    [InlineData(ApplicationRole.Developer, "the Developer role")]
    public void Role_is_described_for_a_refusal(ApplicationRole? role, string text)
    {
        Assert.Equal(text, ApplicationAccess.Describe(role));
    }
}
