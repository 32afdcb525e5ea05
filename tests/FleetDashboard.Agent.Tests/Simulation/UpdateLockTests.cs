using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Tests.Simulation;

public class UpdateLockTests
{
    [Theory]
    [InlineData(DeviceCommand.Restart)]
    [InlineData(DeviceCommand.Purge)]
    [InlineData(DeviceCommand.Reboot)]
    [InlineData(DeviceCommand.Shutdown)]
    public void Held_lock_refuses_the_action_and_changes_nothing(DeviceCommand command)
    {
        var device = TestDevices.New();
        device.WriteFile("main", "/tmp/session", "kept");
        device.WriteFile("main", "/data/config.json", "kept");
        device.HoldLock();

        Assert.Equal(ActionResult.LockHeld, device.Run(command));

        Assert.True(device.IsUp);
        Assert.True(device.UpdateLockHeld);
        Assert.Equal("kept", device.Container("main").WritableLayer["/tmp/session"]);
        Assert.Equal("kept", device.Data["config.json"]);
    }

    [Theory]
    [InlineData(DeviceCommand.Restart)]
    [InlineData(DeviceCommand.Purge)]
    [InlineData(DeviceCommand.Reboot)]
    [InlineData(DeviceCommand.Shutdown)]
    public void Forced_action_runs_despite_the_lock(DeviceCommand command)
    {
        var device = TestDevices.New();
        device.HoldLock();

        Assert.Equal(ActionResult.Succeeded, device.Run(command, force: true));
    }

    [Fact]
    public void Lock_override_deletes_the_held_lock_and_lets_actions_through()
    {
        var device = TestDevices.New();
        device.HoldLock();

        device.ApplyTargetState(TestDevices.Target() with { LockOverride = true });

        Assert.False(device.UpdateLockHeld);
        device.HoldLock();
        Assert.Equal(ActionResult.Succeeded, device.Run(DeviceCommand.Reboot));
    }

    [Fact]
    public void Released_lock_lets_actions_run_again()
    {
        var device = TestDevices.New();
        device.HoldLock();
        device.ReleaseLock();

        Assert.Equal(ActionResult.Succeeded, device.Run(DeviceCommand.Shutdown));
        Assert.Equal(DevicePower.Off, device.Power);
    }
}
