using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>What the confirmation warns of (SPEC §3), and when it asks for the typed name: each action says its own.</summary>
public class WarningsTests
{
    /// <summary>The action of that type, not forced past locks where it could be.</summary>
    private static DeviceAction Unforced(Type action) =>
        (DeviceAction)(action == typeof(DeleteDevice) ? new DeleteDevice() : Activator.CreateInstance(action, [false])!);

    private static Device OnHostOs(string version) => Device().With(d => d.HostOsVersion = FleetVersion.Parse(version));

    private static IReadOnlyList<string> WarningsOf(DeviceAction action, params Device[] devices) => Plan(action, Context(devices)).Warnings;

    [Fact]
    public void Purge_tells_apart_the_devices_that_lose_named_volumes_from_those_that_lose_data()
    {
        var warnings = WarningsOf(new PurgeData(), OnHostOs("2.12.0"), OnHostOs("2.14.0"), OnHostOs("2.9.0"));

        Assert.Contains("2 devices on host OS 2.12.0 or later: every named volume is deleted and recreated empty.", warnings);
        Assert.Contains("1 device on host OS before 2.12.0: /data is cleared.", warnings);
    }

    [Fact]
    public void A_move_says_which_devices_keep_their_old_data()
    {
        var target = Context(Application(id: 9, name: "Lab"));
        var warnings = WarningsOf(MoveTo(target), OnHostOs("2.9.0"));

        Assert.Contains("1 device on host OS before 2.12.0: the old /data stays on the device and comes back if moved back.", warnings);
        Assert.Contains("The devices appear in Lab at once and run its release.", warnings);
        Assert.Contains("Support access to them ends.", warnings);
        Assert.DoesNotContain(warnings, w => w.Contains("purged"));
    }

    [Theory]
    [InlineData(typeof(RestartApplication), "Data outside /data is lost")]
    [InlineData(typeof(ShutdownDevice), "cannot be started remotely")]
    [InlineData(typeof(DeleteDevice), "cannot be undone")]
    public void Each_consequence_of_the_spec_is_said(Type action, string warning) =>
        Assert.Contains(WarningsOf(Unforced(action), Device()), w => w.Contains(warning));

    [Fact]
    public void Forcing_past_locks_is_said_too() =>
        Assert.Contains(WarningsOf(new RebootDevice(Force: true), Device()), w => w.StartsWith("Forced"));

    [Fact]
    public void Deleting_an_application_counts_the_devices_it_orphans()
    {
        var context = Context(Enumerable.Range(0, 12).Select(_ => Device()).ToArray());

        var plan = FleetPolicy.Plan(OrganizationAdministrator(), new DeleteApplication(), context);

        Assert.Contains("Its 12 devices are orphaned: their credentials stop working.", plan.Warnings);
    }

    [Theory]
    [InlineData(typeof(DeleteDevice), 1, true)]
    [InlineData(typeof(ShutdownDevice), 1, true)]
    [InlineData(typeof(PurgeData), 1, true)]
    [InlineData(typeof(PurgeData), 2, true)]
    [InlineData(typeof(RebootDevice), 50, false)]
    public void The_typed_name_is_asked_for_what_destroys(Type action, int devices, bool asked)
    {
        var plan = Plan(Unforced(action), Context(Enumerable.Range(0, devices).Select(_ => Device()).ToArray()));

        Assert.Equal(asked ? "Kiosks" : null, plan.NameToType);
    }

    [Fact]
    public void Deactivating_charges_a_fee_and_asks_for_the_name() =>
        Assert.Equal("Kiosks", Plan(new DeactivateDevice(), Context(Device(), Device())).NameToType);

    [Theory]
    [InlineData("2.12.0", true)]
    [InlineData("2.11.9", false)]
    public void A_move_that_purges_named_volumes_asks_for_the_name(string hostOs, bool asked)
    {
        var target = Context(Application(id: 9, name: "Lab"));

        Assert.Equal(asked ? "Kiosks" : null, Plan(MoveTo(target), Context(OnHostOs(hostOs), OnHostOs("2.9.0"))).NameToType);
    }

    [Fact]
    public void On_one_device_the_name_to_type_is_the_devices()
    {
        var device = Device(name: "kiosk-1");

        var plan = FleetPolicy.Plan(Operator(), new DeleteDevice(), Context(device), [device], ActionScope.Device);

        Assert.Equal("kiosk-1", plan.NameToType);
    }

    [Fact]
    public void Deleting_an_application_always_asks_for_its_name() =>
        Assert.Equal("Kiosks", FleetPolicy.Plan(OrganizationAdministrator(), new DeleteApplication(), Context()).NameToType);

    [Fact]
    public void Nothing_is_warned_of_when_no_device_will_run_it() =>
        Assert.Empty(WarningsOf(new ShutdownDevice(), OfflineDevice()));
}
