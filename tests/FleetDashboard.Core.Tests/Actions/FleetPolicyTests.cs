using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §2: who may do what, over every action and every kind of person.</summary>
public class FleetPolicyTests
{
    public static TheoryData<string, Who> EveryActionForEveryone()
    {
        var data = new TheoryData<string, Who>();
        foreach (var row in EveryAction.Rows)
        foreach (var who in Enum.GetValues<Who>())
            data.Add(row.Name, who);
        return data;
    }

    public static TheoryData<string, Who> EveryDeviceActionForEveryoneRefused()
    {
        var data = new TheoryData<string, Who>();
        foreach (var row in EveryAction.Rows.Where(r => r.IsDeviceAction))
        foreach (var who in Enum.GetValues<Who>().Where(w => !Allowed(w, row.Needs)))
            data.Add(row.Name, who);
        return data;
    }

    public static TheoryData<string> EveryActionName()
    {
        var data = new TheoryData<string>();
        foreach (var row in EveryAction.Rows) data.Add(row.Name);
        return data;
    }

    [Fact]
    public void Every_action_of_the_core_has_a_row_in_the_role_table()
    {
        var actions = typeof(FleetAction).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(FleetAction).IsAssignableFrom(t))
            .Select(t => t.Name)
            .Order();

        Assert.Equal(actions, EveryAction.Rows.Select(r => r.Name).Order());
    }

    [Theory]
    [MemberData(nameof(EveryActionForEveryone))]
    public void Only_the_least_role_or_above_may_act(string action, Who who)
    {
        var row = EveryAction.Row(action);

        var attempt = row.Try(who);

        if (Allowed(who, row.Needs))
        {
            Assert.True(attempt.Decision.IsAllowed, $"{who} should be allowed to {action}: {attempt.Decision.Refusal}");
            if (attempt.Plan is { } plan)
                Assert.All(plan.Devices, d => Assert.True(d.WillRun, $"{d.Device.Name} skipped: {d.Skip}"));
        }
        else
        {
            Assert.False(attempt.Decision.IsAllowed, $"{who} should not be allowed to {action}");
            Assert.Contains(NeededRoleText(row.Needs), attempt.Decision.Refusal);
        }
    }

    [Theory]
    [MemberData(nameof(EveryDeviceActionForEveryoneRefused))]
    public void A_refused_role_skips_every_device_with_the_refusal(string action, Who who)
    {
        var attempt = EveryAction.Row(action).Try(who);

        var plan = Assert.IsType<ActionPlan>(attempt.Plan);
        Assert.False(attempt.Decision.IsAllowed);
        Assert.NotEmpty(plan.Devices);
        Assert.All(plan.Devices, d => Assert.Equal(new Skip(OutcomeKind.Refused, attempt.Decision.Refusal!), d.Skip));
        Assert.Equal(0, plan.RunCount);
        Assert.Equal(attempt.Decision.Refusal, plan.Summary);
    }

    [Theory]
    [MemberData(nameof(EveryActionName))]
    public void The_action_declares_the_least_role_the_spec_gives_it(string action)
    {
        var row = EveryAction.Row(action);

        var declared = row.Sample();

        Assert.Equal(row.Needs == Needs.OrganizationAdministrator, declared.NeedsOrganizationAdministrator);
        if (row.Needs is not (Needs.OrganizationAdministrator or Needs.TheInvitation))
            Assert.Equal(Enum.Parse<ApplicationRole>(row.Needs.ToString()), declared.LeastRole);
    }

    [Fact]
    public void A_refusal_says_which_role_is_needed_and_which_one_the_person_has()
    {
        var plan = Fleet.Plan(new RebootDevice(), Fleet.Context(Fleet.Device()), Fleet.Member(ApplicationRole.Observer));

        Assert.Equal("Reboot needs the Operator role on Kiosks; you have the Observer role.", plan.Decision.Refusal);
    }

    [Fact]
    public void A_refusal_to_someone_without_a_role_says_they_have_none()
    {
        var decision = FleetPolicy.Decide(Fleet.Member(null), new DeleteApplication(), Fleet.Context());

        Assert.Equal("Delete application needs the Administrator role on Kiosks; you have no role on it.", decision.Refusal);
    }

    [Fact]
    public void An_application_administrator_who_does_not_administer_the_organization_cannot_transfer()
    {
        var attempt = EveryAction.Row(nameof(TransferApplication)).Try(Who.Administrator);

        Assert.Equal("Transfer application needs an administrator of the organization that owns Kiosks.", attempt.Decision.Refusal);
    }

    [Fact]
    public void A_role_allowed_by_policy_still_meets_the_actions_own_rules()
    {
        var decision = FleetPolicy.Decide(Fleet.OrganizationAdministrator(), new ChangeApplicationType(ApplicationType.Legacy), Fleet.Context());

        Assert.Equal("No application can become Legacy.", decision.Refusal);
    }

    private static bool Allowed(Who who, Needs needs)
    {
        if (needs == Needs.OrganizationAdministrator) return who == Who.OrganizationAdministrator;
        if (needs == Needs.TheInvitation) return who is not (Who.SupportStaffWithGrant or Who.SupportStaffWithoutGrant);
        ApplicationRole? role = who switch
        {
            Who.Observer or Who.SupportStaffWithGrant => ApplicationRole.Observer,
            Who.Operator => ApplicationRole.Operator,
            Who.Developer => ApplicationRole.Developer,
            Who.Administrator or Who.OrganizationAdministrator => ApplicationRole.Administrator,
            _ => null,
        };
        return role >= Enum.Parse<ApplicationRole>(needs.ToString());
    }

    private static string NeededRoleText(Needs needs) => needs switch
    {
        Needs.OrganizationAdministrator => "needs an administrator of",
        Needs.TheInvitation => "not through invitations",
        _ => $"needs the {needs} role",
    };
}
