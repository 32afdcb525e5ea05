using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Tests.Simulation;

public class PurgeTests
{
    [Theory]
    [InlineData("2.9.0")]
    [InlineData("2.11.9+rev3")]
    public void Purge_below_2_12_0_clears_data_and_leaves_named_volumes(string hostOs)
    {
        var device = TestDevices.New(hostOs: hostOs);
        device.WriteFile("main", "/data/config.json", "gone");
        device.WriteVolumeFile("app-db", "rows", "kept");
        device.WriteFile("main", "/tmp/session", "kept");

        Assert.Equal(ActionResult.Succeeded, device.Run(DeviceCommand.Purge));

        Assert.Empty(device.Data);
        Assert.Equal("kept", device.Volumes["app-db"]["rows"]);
        Assert.Equal("kept", device.Container("main").WritableLayer["/tmp/session"]);
    }

    [Theory]
    [InlineData("2.12.0")]
    [InlineData("2.13.1")]
    public void Purge_from_2_12_0_recreates_every_named_volume_empty(string hostOs)
    {
        var device = TestDevices.New(hostOs: hostOs);
        device.WriteVolumeFile("app-db", "rows", "gone");
        device.WriteVolumeFile("cache", "thumbnails", "gone");
        device.WriteFile("main", "/data/config.json", "gone");

        Assert.Equal(ActionResult.Succeeded, device.Run(DeviceCommand.Purge));

        Assert.Equal(["app-db", "cache"], device.Volumes.Keys.Order());
        Assert.All(device.Volumes.Values, Assert.Empty);
        Assert.Empty(device.Data);
    }

    [Theory]
    [InlineData(DeviceCommand.Purge)]
    [InlineData(DeviceCommand.Reboot)]
    [InlineData(DeviceCommand.Shutdown)]
    public void Agent_below_1_1_0_refuses_device_actions(DeviceCommand command)
    {
        var device = TestDevices.New(agent: "1.0.9");
        device.WriteFile("main", "/data/config.json", "kept");

        var answer = device.Run(command);

        Assert.Equal(new ActionResult(ActionResultKind.Refused, "agent too old"), answer);
        Assert.True(device.IsUp);
        Assert.Single(device.Data);
    }
}
