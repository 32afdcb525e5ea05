using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3 Delete: the device is disassociated and its credential stops working.</summary>
public class DeleteDeviceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Deleted_device_is_orphaned_online_or_not(bool online)
    {
        var device = Device(online: online);
        var context = Context(device);

        var plan = Plan(new DeleteDevice(), context);
        plan.Run(context);

        Assert.Equal(1, plan.RunCount);
        Assert.Null(device.ApplicationId);
        Assert.True(device.IsOrphaned);
        Assert.Equal(Now, device.OrphanedAt);
        Assert.Null(device.ConnectedAt);
    }

    [Fact]
    public void Deleted_device_no_longer_counts_as_online_through_its_connection()
    {
        var device = Device().With(d => d.LastContactAt = Now.AddHours(-3));
        var context = Context(device);

        Plan(new DeleteDevice(), context).Run(context);

        Assert.Equal(DeviceStatus.Offline, device.StatusAt(Now));
    }

    [Fact]
    public void Only_the_chosen_devices_are_orphaned()
    {
        var kept = Device();
        var deleted = Device();
        var context = Context(kept, deleted);

        var plan = FleetPolicy.Plan(Operator(), new DeleteDevice(), context, [deleted]);
        plan.Run(context);

        Assert.Equal(TheApplicationId, kept.ApplicationId);
        Assert.Null(deleted.ApplicationId);
    }
}
