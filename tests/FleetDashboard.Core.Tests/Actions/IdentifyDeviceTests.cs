using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Protocol;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>Identify device: the LED blinks so a person finds the device. Online only, never queued; agent 1.1.0 or later.</summary>
public class IdentifyDeviceTests
{
    [Fact]
    public void An_online_device_blinks() => Assert.Null(SkipOf(new IdentifyDevice(), Device()));

    [Fact]
    public void An_offline_device_is_not_notified_and_nothing_waits_for_it() =>
        Assert.Equal(Skip.Offline, SkipOf(new IdentifyDevice(), OfflineDevice()));

    [Fact]
    public void An_agent_before_1_1_0_cannot_blink() =>
        Assert.Equal(Skip.AgentTooOld, SkipOf(new IdentifyDevice(), Device(agent: "1.0.4")));

    [Fact]
    public void A_held_update_lock_does_not_stop_a_blink() =>
        Assert.Null(SkipOf(new IdentifyDevice(), Device().With(d => d.UpdateLockHeld = true)));

    [Fact]
    public void A_deactivated_device_does_not_blink() =>
        Assert.Equal(Skip.Inactive, SkipOf(new IdentifyDevice(), Device().With(d => d.DeactivatedAt = Now)));

    [Fact]
    public void It_travels_as_the_identify_command_and_is_offered_to_operators_on_devices_and_groups()
    {
        var identify = new IdentifyDevice();

        Assert.True(identify.IsImmediate);
        Assert.Equal(DeviceCommand.Identify, identify.Command);
        Assert.Contains(IdentifyDevice.Identify, ActionCatalog.Offered(ActionScope.Device, Core.Applications.ApplicationRole.Operator));
        Assert.Contains(IdentifyDevice.Identify, ActionCatalog.Offered(ActionScope.Group, Core.Applications.ApplicationRole.Operator));
        Assert.DoesNotContain(IdentifyDevice.Identify, ActionCatalog.Offered(ActionScope.Device, Core.Applications.ApplicationRole.Observer));
    }

    [Fact]
    public void A_group_plan_counts_who_will_blink_and_says_what_it_does()
    {
        var plan = Plan(new IdentifyDevice(), Context(Device(), Device(), OfflineDevice()));

        Assert.Equal("2 will blink their LED; 1 offline will not be notified", plan.Summary);
        Assert.Contains(plan.Warnings, w => w.Contains("LED blinks"));
        Assert.Null(plan.NameToType);
    }
}
