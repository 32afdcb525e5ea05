using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using static FleetDashboard.Agent.Tests.Simulation.TestDevices;

namespace FleetDashboard.Agent.Tests.Simulation;

public class LocalModeTests
{
    [Fact]
    public void Local_mode_ignores_the_dashboards_target()
    {
        var device = New(hostOs: "2.9.0");
        device.WriteFile("main", "/data/config.json", "kept");

        device.ApplyTargetState(Target(SecondApplication, release: "r2", services: SecondServices) with
        {
            LocalMode = true,
            HostOsVersion = "2.14.0",
        });
        device.Advance(120);

        Assert.True(device.LocalMode);
        Assert.Equal(DeviceProgress.Idle, device.Work);
        Assert.Equal("r1", device.ReleaseCommit);
        Assert.Equal("2.9.0", device.HostOsVersion);
        Assert.Equal(FirstApplication, device.ApplicationId);
        Assert.Equal("kept", device.Data["config.json"]);
    }

    [Fact]
    public void Leaving_local_mode_applies_the_target()
    {
        var device = New();
        device.ApplyTargetState(Target(release: "r2", services: SecondServices) with { LocalMode = true });

        device.ApplyTargetState(Target(release: "r2", services: SecondServices));
        device.Advance(15);

        Assert.False(device.LocalMode);
        Assert.Equal("r2", device.ReleaseCommit);
    }

    [Fact]
    public void Lock_override_does_not_apply_in_local_mode()
    {
        var device = New();
        device.HoldLock();

        device.ApplyTargetState(Target() with { LocalMode = true, LockOverride = true });

        Assert.True(device.UpdateLockHeld);
        Assert.Equal(ActionResult.LockHeld, device.Run(DeviceCommand.Restart));
    }
}
