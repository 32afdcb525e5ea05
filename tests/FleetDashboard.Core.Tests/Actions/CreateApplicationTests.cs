using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §1/§2: organization administrators create applications; names are unique; Legacy cannot be created.</summary>
public class CreateApplicationTests
{
    private static OrganizationContext Acme(OrganizationPlan plan = OrganizationPlan.Paid) =>
        new(Organization(plan: plan), Now) { ApplicationNames = ["Kiosks"] };

    private static Decision Decide(CreateApplication create, OrganizationContext? context = null) =>
        FleetPolicy.Decide(OrganizationRole.Administrator, create, context ?? Acme());

    [Fact]
    public void Application_is_created_in_the_organization()
    {
        var create = new CreateApplication("Lobby", ApplicationType.Microservices, "RaspberryPi4-64");

        var application = create.Subject(Acme());

        Assert.True(Decide(create).IsAllowed);
        Assert.Equal((TheOrganizationId, "Lobby", ApplicationType.Microservices, "raspberrypi4-64", Now),
            (application.OrganizationId, application.Name, application.Type, application.DefaultDeviceType, application.CreatedAt));
    }

    [Theory]
    [InlineData(OrganizationRole.Member)]
    [InlineData(null)]
    public void Only_an_organization_administrator_creates_applications(OrganizationRole? role)
    {
        var decision = FleetPolicy.Decide(role, new CreateApplication("Lobby", ApplicationType.Starter, "raspberrypi3"), Acme());

        Assert.Equal("Create application needs an administrator of Acme.", decision.Refusal);
    }

    [Theory]
    [InlineData("Kiosks")]
    [InlineData("KIOSKS")]
    public void Name_taken_in_the_organization_is_refused(string name)
    {
        Assert.Equal($"Acme already has an application named {name}.",
            Decide(new CreateApplication(name, ApplicationType.Starter, "raspberrypi3")).Refusal);
    }

    [Fact]
    public void Legacy_applications_can_no_longer_be_created()
    {
        Assert.Equal("Legacy applications can no longer be created.",
            Decide(new CreateApplication("Lobby", ApplicationType.Legacy, "raspberrypi3")).Refusal);
    }

    [Theory]
    [InlineData(ApplicationType.Microservices)]
    [InlineData(ApplicationType.Essentials)]
    public void Paid_types_need_a_Paid_organization(ApplicationType type)
    {
        Assert.Equal($"{type} is a paid type: Acme needs the Paid plan.",
            Decide(new CreateApplication("Lobby", type, "raspberrypi3"), Acme(OrganizationPlan.Free)).Refusal);
    }

    [Theory]
    [InlineData(ApplicationType.Starter)]
    [InlineData(ApplicationType.Classic)]
    public void Free_organization_creates_free_types(ApplicationType type)
    {
        Assert.True(Decide(new CreateApplication("Lobby", type, "raspberrypi3"), Acme(OrganizationPlan.Free)).IsAllowed);
    }

    [Fact]
    public void Unknown_device_type_is_refused()
    {
        Assert.Equal("\"toaster-9000\" is not a known device type.",
            Decide(new CreateApplication("Lobby", ApplicationType.Starter, "toaster-9000")).Refusal);
    }

    [Fact]
    public void Empty_name_is_refused()
    {
        Assert.EndsWith("application name cannot be empty.", Decide(new CreateApplication(" ", ApplicationType.Starter, "raspberrypi3")).Refusal);
    }
}
