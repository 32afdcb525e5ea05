using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>Every action says what it is once, on its own record; the catalogue finds them all.</summary>
public class ActionCatalogTests
{
    private static readonly ActionInputs Filled = new()
    {
        Name = "front-door", TagName = "site", DeviceType = "generic-aarch64", HostOs = FleetVersion.Parse("2.14.0"),
        TargetApplicationId = 11, ReleaseId = 3,
    };

    [Fact]
    public void Every_key_is_unique_and_reads_as_a_slug()
    {
        Assert.Equal(ActionCatalog.All.Count, ActionCatalog.All.Select(k => k.Key).Distinct().Count());
        Assert.All(ActionCatalog.All, k => Assert.Matches("^[a-z][a-z0-9-]*$", k.Key));
    }

    [Fact]
    public void Every_action_record_of_the_core_has_a_kind_in_the_catalogue()
    {
        var records = typeof(FleetAction).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(FleetAction)) && !t.IsAbstract);

        Assert.All(records, t => Assert.Contains(t.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static),
            f => f.FieldType == typeof(ActionKind)));
    }

    [Fact]
    public void What_a_kind_builds_is_of_that_kind()
    {
        Assert.All(ActionCatalog.All.Where(k => k.Build is not null), k => Assert.Same(k, k.Build!(Filled).Kind));
    }

    [Fact]
    public void A_stored_key_reads_back_as_its_title_and_an_unknown_one_as_itself()
    {
        Assert.Equal("Reboot", ActionCatalog.TitleOf(RebootDevice.Reboot.Key));
        Assert.Equal("Blink twice", ActionCatalog.TitleOf("Blink twice"));
    }

    [Theory]
    [InlineData(ActionScope.Device, ApplicationRole.Observer)]
    [InlineData(ActionScope.Group, ApplicationRole.Operator)]
    [InlineData(ActionScope.Application, ApplicationRole.Developer)]
    public void Nothing_below_its_least_role_is_offered(ActionScope scope, ApplicationRole role) =>
        Assert.All(ActionCatalog.Offered(scope, role), k => Assert.True(role >= k.LeastRole));

    [Fact]
    public void An_observer_is_offered_nothing() =>
        Assert.Empty(ActionCatalog.Offered(ActionScope.Device, ApplicationRole.Observer));

    [Fact]
    public void A_group_is_offered_no_action_that_takes_one_device_only() =>
        Assert.DoesNotContain(ActionCatalog.Offered(ActionScope.Group, ApplicationRole.Administrator), k => k.OneDeviceOnly);
}
