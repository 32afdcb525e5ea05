using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Tests.Simulation;

public class PowerTests
{
    [Fact]
    public void Reboot_goes_down_for_the_boot_time_and_comes_back()
    {
        var device = TestDevices.New();

        Assert.Equal(ActionResult.Succeeded, device.Run(DeviceCommand.Reboot));

        Assert.Equal(DevicePower.Booting, device.Power);
        var up = device.WhenUpAsync();
        device.Advance(19.9);
        Assert.False(up.IsCompleted);
        Assert.All(device.Containers, c => Assert.False(c.IsRunning));

        device.Advance(0.1);

        Assert.True(up.IsCompletedSuccessfully);
        Assert.True(device.IsUp);
        Assert.Equal(1, device.PowerCycles);
        Assert.All(device.Containers, c => Assert.True(c.IsRunning));
    }

    [Fact]
    public void Boot_time_is_scaled_by_the_time_factor()
    {
        var device = TestDevices.New(timeFactor: 10);

        device.Run(DeviceCommand.Reboot);
        device.Advance(2);

        Assert.True(device.IsUp);
    }

    [Fact]
    public void Reboot_clears_the_update_lock()
    {
        var device = TestDevices.New();
        device.HoldLock();

        Assert.Equal(ActionResult.Succeeded, device.Run(DeviceCommand.Reboot, force: true));
        device.Advance(20);

        Assert.True(device.IsUp);
        Assert.False(device.UpdateLockHeld);
    }

    [Fact]
    public void Reboot_keeps_the_containers_with_their_writable_layers()
    {
        var device = TestDevices.New();
        device.WriteFile("main", "/tmp/session", "kept");
        device.WriteFile("main", "/data/config.json", "kept");

        device.Run(DeviceCommand.Reboot);
        device.Advance(20);

        Assert.Equal("kept", device.Container("main").WritableLayer["/tmp/session"]);
        Assert.Equal("kept", device.Data["config.json"]);
    }

    [Fact]
    public void Shutdown_stays_off_until_powered_on()
    {
        var device = TestDevices.New();

        Assert.Equal(ActionResult.Succeeded, device.Run(DeviceCommand.Shutdown));
        device.Advance(TimeSpan.FromDays(1));

        Assert.Equal(DevicePower.Off, device.Power);
        Assert.False(device.IsPoweredOn);

        device.PowerOn();

        Assert.Equal(DevicePower.Booting, device.Power);
        device.Advance(20);
        Assert.True(device.IsUp);
    }

    [Fact]
    public void A_device_that_is_not_running_answers_failed()
    {
        var device = TestDevices.New();
        device.Run(DeviceCommand.Reboot);

        var answer = device.Run(DeviceCommand.Restart);

        Assert.Equal(ActionResultKind.Failed, answer.Kind);
    }
}
