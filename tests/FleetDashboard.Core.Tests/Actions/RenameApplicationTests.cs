using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3 Rename application: only Starter, Microservices or Essentials; unique in the organization.</summary>
public class RenameApplicationTests
{
    private static ApplicationContext ContextOf(ApplicationType type) =>
        Context(Application(type: type)) with { OtherApplicationNames = ["Lobby", "Tills"] };

    [Theory]
    [InlineData(ApplicationType.Starter)]
    [InlineData(ApplicationType.Microservices)]
    [InlineData(ApplicationType.Essentials)]
    public void Modern_application_takes_the_new_name(ApplicationType type)
    {
        var context = ContextOf(type);
        var rename = new RenameApplication("Entrances");

        Assert.True(rename.Check(context).IsAllowed);
        rename.Run(context);

        Assert.Equal("Entrances", context.Application.Name);
    }

    [Theory]
    [InlineData(ApplicationType.Classic)]
    [InlineData(ApplicationType.Legacy)]
    public void Older_application_cannot_be_renamed(ApplicationType type)
    {
        Assert.Equal($"{type} applications cannot be renamed.", new RenameApplication("Entrances").Check(ContextOf(type)).Refusal);
    }

    [Theory]
    [InlineData("Lobby")]
    [InlineData("lobby")]
    [InlineData("TILLS")]
    public void Name_of_another_application_of_the_organization_is_refused_whatever_the_case(string name)
    {
        var decision = new RenameApplication(name).Check(ContextOf(ApplicationType.Microservices));

        Assert.Equal($"Acme already has an application named {name}.", decision.Refusal);
    }

    [Fact]
    public void Changing_only_the_case_of_its_own_name_is_allowed()
    {
        Assert.True(new RenameApplication("KIOSKS").Check(ContextOf(ApplicationType.Microservices)).IsAllowed);
    }

    [Theory]
    [InlineData("", "application name cannot be empty.")]
    [InlineData(" Kiosks", "application name cannot start or end with spaces.")]
    [InlineData("Kio\u0007sks", "application name cannot hold control characters.")]
    public void Unusable_name_is_refused(string name, string reason)
    {
        var context = ContextOf(ApplicationType.Microservices);

        Assert.EndsWith(reason, new RenameApplication(name).Check(context).Refusal);
    }

    [Fact]
    public void Name_of_101_characters_is_refused()
    {
        Assert.True(new RenameApplication(new string('k', 100)).Check(ContextOf(ApplicationType.Starter)).IsAllowed);
        Assert.EndsWith("application name has at most 100 characters.",
            new RenameApplication(new string('k', 101)).Check(ContextOf(ApplicationType.Starter)).Refusal);
    }

    [Fact]
    public void Refusal_reads_as_English()
    {
        Assert.Equal("An application name cannot be empty.", new RenameApplication("").Check(ContextOf(ApplicationType.Starter)).Refusal);
    }
}
