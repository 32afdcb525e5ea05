using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3 Change application type.</summary>
public class ChangeApplicationTypeTests
{
    private static Decision Change(ApplicationType from, ApplicationType to, params string[] hostOs)
    {
        var application = Application(type: from);
        return new ChangeApplicationType(to).Check(
            Context(application, hostOs.Select(v => Device(application, hostOs: v)).ToArray()));
    }

    [Theory]
    [InlineData(ApplicationType.Starter, "2.12.0", true)]
    [InlineData(ApplicationType.Starter, "2.12.7+rev1", true)]
    [InlineData(ApplicationType.Starter, "2.9.0", false)]
    [InlineData(ApplicationType.Microservices, "2.12.7+rev1", true)]
    [InlineData(ApplicationType.Microservices, "2.9.0", false)]
    [InlineData(ApplicationType.Essentials, "2.12.7+rev1", true)]
    [InlineData(ApplicationType.Essentials, "2.9.0", false)]
    [InlineData(ApplicationType.Essentials, "2.11.9", false)]
    [InlineData(ApplicationType.Classic, "2.9.0", true)]
    [InlineData(ApplicationType.Classic, "2.0.3", true)]
    [InlineData(ApplicationType.Classic, "2.0.2", false)]
    [InlineData(ApplicationType.Classic, "1.30.0", false)]
    public void Every_device_must_meet_the_host_OS_minimum_of_the_type(ApplicationType to, string hostOs, bool allowed)
    {
        var from = to == ApplicationType.Legacy ? ApplicationType.Classic : ApplicationType.Legacy;

        var decision = Change(from, to, "2.14.0", hostOs);

        Assert.Equal(allowed, decision.IsAllowed);
        if (!allowed)
        {
            var minimum = to == ApplicationType.Classic ? "2.0.3" : "2.12.0";
            Assert.StartsWith($"{to} needs host OS {minimum} or newer on every device; 1 are older (", decision.Refusal);
        }
    }

    [Fact]
    public void Refusal_names_the_devices_that_are_too_old()
    {
        var application = Application(type: ApplicationType.Classic);
        var context = Context(application,
            Device(application, name: "lobby", hostOs: "2.9.0"),
            Device(application, name: "door", hostOs: "2.12.7+rev1"),
            Device(application, name: "till", hostOs: "2.0.3"));

        var decision = new ChangeApplicationType(ApplicationType.Microservices).Check(context);

        Assert.Equal("Microservices needs host OS 2.12.0 or newer on every device; 2 are older (lobby, till).", decision.Refusal);
    }

    [Fact]
    public void Nothing_becomes_Legacy()
    {
        Assert.Equal("No application can become Legacy.", Change(ApplicationType.Classic, ApplicationType.Legacy, "2.14.0").Refusal);
    }

    [Fact]
    public void Legacy_can_be_changed_away_from()
    {
        Assert.True(Change(ApplicationType.Legacy, ApplicationType.Classic, "2.0.3").IsAllowed);
    }

    [Fact]
    public void Changing_to_the_type_it_already_has_is_refused()
    {
        Assert.Equal("Kiosks is already Classic.", Change(ApplicationType.Classic, ApplicationType.Classic).Refusal);
    }

    [Theory]
    [InlineData(ApplicationType.Microservices, OrganizationPlan.Free, false)]
    [InlineData(ApplicationType.Essentials, OrganizationPlan.Free, false)]
    [InlineData(ApplicationType.Microservices, OrganizationPlan.Paid, true)]
    [InlineData(ApplicationType.Essentials, OrganizationPlan.Paid, true)]
    [InlineData(ApplicationType.Starter, OrganizationPlan.Free, true)]
    [InlineData(ApplicationType.Classic, OrganizationPlan.Free, true)]
    public void Paid_types_need_a_Paid_organization(ApplicationType to, OrganizationPlan plan, bool allowed)
    {
        var application = Application(type: ApplicationType.Legacy);
        var context = Context(Organization(plan: plan), application, Device(application));

        var decision = new ChangeApplicationType(to).Check(context);

        Assert.Equal(allowed ? null : $"{to} is a paid type: Acme needs the Paid plan.", decision.Refusal);
    }

    [Theory]
    [InlineData(6, 2, 2, null)]
    [InlineData(7, 2, 2, 11)]
    [InlineData(0, 10, 0, null)]
    [InlineData(0, 10, 1, 11)]
    [InlineData(10, 1, 0, 11)]
    public void Starter_keeps_the_organizations_limit_counting_inactive_devices(int elsewhere, int active, int inactive, int? wouldMake)
    {
        var application = Application(type: ApplicationType.Classic);
        var devices = Enumerable.Range(0, active).Select(_ => Device(application))
            .Concat(Enumerable.Range(0, inactive).Select(_ => OfflineDevice(application).With(d => d.DeactivatedAt = Now.AddDays(-5))))
            .ToArray();
        var context = Context(Organization(plan: OrganizationPlan.Free), application, devices) with { StarterDevicesElsewhere = elsewhere };

        var decision = new ChangeApplicationType(ApplicationType.Starter).Check(context);

        Assert.Equal(
            wouldMake is null ? null : $"Starter applications of Acme hold at most 10 devices together; this would make {wouldMake}.",
            decision.Refusal);
    }

    [Fact]
    public void Essentials_is_refused_while_a_device_has_a_public_url()
    {
        var application = Application(type: ApplicationType.Microservices);
        var withUrl = Device(application).With(d => d.PublicUrlEnabled = true);
        var context = Context(application, withUrl, Device(application));

        Assert.Equal("Essentials applications have no public URLs: disable them on 1 device first.",
            new ChangeApplicationType(ApplicationType.Essentials).Check(context).Refusal);

        withUrl.PublicUrlEnabled = false;
        Assert.True(new ChangeApplicationType(ApplicationType.Essentials).Check(context).IsAllowed);
    }

    [Fact]
    public void Allowed_change_sets_the_type()
    {
        var application = Application(type: ApplicationType.Microservices);
        var context = Context(application, Device(application));
        var change = new ChangeApplicationType(ApplicationType.Essentials);

        var decision = FleetPolicy.Decide(OrganizationAdministrator(), change, context);
        change.Run(context);

        Assert.True(decision.IsAllowed, decision.Refusal);
        Assert.Equal(ApplicationType.Essentials, application.Type);
        Assert.Equal("to Essentials", change.Options);
    }

    [Fact]
    public void Empty_application_can_become_any_type_but_Legacy()
    {
        foreach (var type in Enum.GetValues<ApplicationType>().Where(t => t is not ApplicationType.Legacy and not ApplicationType.Classic))
            Assert.True(Change(ApplicationType.Classic, type).IsAllowed, type.ToString());
    }
}
