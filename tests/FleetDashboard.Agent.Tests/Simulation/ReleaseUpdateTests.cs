using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using static FleetDashboard.Agent.Tests.Simulation.TestDevices;

namespace FleetDashboard.Agent.Tests.Simulation;

public class ReleaseUpdateTests
{
    [Fact]
    public void Release_update_downloads_with_progress_then_recreates_containers_for_the_new_services()
    {
        var device = New();
        device.WriteFile("main", "/tmp/session", "lost");
        device.WriteFile("main", "/data/config.json", "kept");

        device.ApplyTargetState(Target(release: "r2", services: SecondServices));

        Assert.Equal(DeviceProgress.ApplyingRelease, device.Work);
        device.Advance(7.5);
        Assert.Equal(50, device.ProgressPercent);
        Assert.Equal("r1", device.ReleaseCommit);

        device.Advance(7.5);

        Assert.Equal("r2", device.ReleaseCommit);
        Assert.Equal(DeviceProgress.Idle, device.Work);
        Assert.Equal(["main", "metrics"], device.Containers.Select(c => c.Service).Order());
        Assert.Equal("registry/main:2", device.Container("main").Image);
        Assert.Empty(device.Container("main").WritableLayer);
        Assert.Equal("kept", device.Data["config.json"]);
    }

    [Fact]
    public void Release_update_waits_on_a_held_lock_then_applies_when_it_is_released()
    {
        var device = New();
        device.HoldLock();

        device.ApplyTargetState(Target(release: "r2", services: SecondServices));
        device.Advance(60);

        Assert.Equal(DeviceProgress.ApplyingRelease, device.Work);
        Assert.Equal(100, device.ProgressPercent);
        Assert.Equal("r1", device.ReleaseCommit);

        device.ReleaseLock();

        Assert.Equal("r2", device.ReleaseCommit);
        Assert.Equal(DeviceProgress.Idle, device.Work);
    }

    [Fact]
    public void Lock_override_lets_the_waiting_release_through()
    {
        var device = New();
        device.HoldLock();
        device.ApplyTargetState(Target(release: "r2", services: SecondServices));
        device.Advance(15);

        device.ApplyTargetState(Target(release: "r2", services: SecondServices) with { LockOverride = true });

        Assert.Equal("r2", device.ReleaseCommit);
        Assert.False(device.UpdateLockHeld);
    }

    [Fact]
    public void Target_going_back_to_the_running_release_drops_the_download()
    {
        var device = New();
        device.ApplyTargetState(Target(release: "r2", services: SecondServices));
        device.Advance(5);

        device.ApplyTargetState(Target(release: "r1"));
        device.Advance(60);

        Assert.Equal(DeviceProgress.Idle, device.Work);
        Assert.Equal("r1", device.ReleaseCommit);
    }

    [Fact]
    public void Reboot_during_a_download_starts_it_again_after_boot()
    {
        var device = New();
        device.ApplyTargetState(Target(release: "r2", services: SecondServices));
        device.Advance(10);

        device.Run(DeviceCommand.Reboot);
        device.Advance(20);

        Assert.Equal(DeviceProgress.ApplyingRelease, device.Work);
        Assert.Equal(0, device.ProgressPercent);
        device.Advance(15);
        Assert.Equal("r2", device.ReleaseCommit);
    }
}
