using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Tests.Simulation;

public class HostOsUpdateTests
{
    [Fact]
    public void Host_OS_update_shows_progress_then_reboots_into_the_new_version()
    {
        var device = TestDevices.New(hostOs: "2.9.0");

        device.ApplyTargetState(TestDevices.Target() with { HostOsVersion = "2.12.7+rev1" });

        Assert.Equal(DeviceProgress.UpdatingHostOs, device.Work);
        Assert.Equal(0, device.ProgressPercent);
        device.Advance(30);
        Assert.Equal(50, device.ProgressPercent);
        Assert.Equal(50, device.ToReport().ProgressPercent);

        device.Advance(30);

        Assert.Equal(DevicePower.Booting, device.Power);
        Assert.Equal("2.9.0", device.HostOsVersion);

        device.Advance(20);

        Assert.True(device.IsUp);
        Assert.Equal("2.12.7+rev1", device.HostOsVersion);
        Assert.Equal(DeviceProgress.Idle, device.Work);
        Assert.Null(device.ProgressPercent);
        Assert.Equal(1, device.PowerCycles);
    }

    [Theory]
    [InlineData("2.13.1")]
    [InlineData("2.9.0")]
    [InlineData("not a version")]
    public void Same_older_or_unreadable_host_OS_target_is_ignored(string target)
    {
        var device = TestDevices.New(hostOs: "2.13.1");

        device.ApplyTargetState(TestDevices.Target() with { HostOsVersion = target });

        Assert.Equal(DeviceProgress.Idle, device.Work);
    }

    [Fact]
    public void Held_lock_holds_the_host_OS_update_until_released()
    {
        var device = TestDevices.New(hostOs: "2.12.0");
        device.HoldLock();

        device.ApplyTargetState(TestDevices.Target() with { HostOsVersion = "2.14.0" });
        device.Advance(120);

        Assert.Equal(DeviceProgress.Idle, device.Work);
        Assert.Equal("2.12.0", device.HostOsVersion);

        device.ReleaseLock();

        Assert.Equal(DeviceProgress.UpdatingHostOs, device.Work);
    }

    [Fact]
    public void Forced_host_OS_update_goes_through_a_held_lock()
    {
        var device = TestDevices.New(hostOs: "2.12.0");
        device.HoldLock();

        device.ApplyTargetState(TestDevices.Target() with { HostOsVersion = "2.14.0", HostOsForced = true });
        device.Advance(80);

        Assert.Equal("2.14.0", device.HostOsVersion);
        Assert.False(device.UpdateLockHeld);
    }
}
