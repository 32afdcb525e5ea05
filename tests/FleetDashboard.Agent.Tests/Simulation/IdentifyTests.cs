using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Tests.Simulation;

public class IdentifyTests
{
    [Fact]
    public void Identify_blinks_the_led_for_a_while_and_nothing_else_changes()
    {
        var device = TestDevices.New();
        var containers = device.Containers.Select(c => (c.Service, c.IsRunning, c.CreatedAt)).ToList();

        Assert.Equal(ActionResult.Succeeded, device.Run(DeviceCommand.Identify));

        Assert.True(device.IsBlinking);
        Assert.Equal(0, device.PowerCycles);
        Assert.Equal(containers, device.Containers.Select(c => (c.Service, c.IsRunning, c.CreatedAt)));
        device.Advance(SimulatedDevice.BlinkTime - TimeSpan.FromSeconds(1));
        Assert.True(device.IsBlinking);
        device.Advance(1);
        Assert.False(device.IsBlinking);
    }

    [Fact]
    public void A_held_update_lock_does_not_stop_a_blink()
    {
        var device = TestDevices.New();
        device.HoldLock();

        Assert.Equal(ActionResult.Succeeded, device.Run(DeviceCommand.Identify));
        Assert.True(device.IsBlinking);
    }

    [Fact]
    public void An_agent_before_1_1_0_refuses_it()
    {
        var device = TestDevices.New(agent: "1.0.4");

        Assert.Equal(ActionResultKind.Refused, device.Run(DeviceCommand.Identify).Kind);
        Assert.False(device.IsBlinking);
    }
}
