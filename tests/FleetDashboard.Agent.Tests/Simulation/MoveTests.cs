using static FleetDashboard.Agent.Tests.Simulation.TestDevices;

namespace FleetDashboard.Agent.Tests.Simulation;

public class MoveTests
{
    [Fact]
    public void Move_below_2_12_0_keeps_the_old_data_on_the_device_and_brings_it_back_when_moved_back()
    {
        var device = New(hostOs: "2.9.0");
        device.WriteFile("main", "/data/first.txt", "of the first application");

        device.ApplyTargetState(Target(SecondApplication));

        Assert.Equal(SecondApplication, device.ApplicationId);
        Assert.Empty(device.Data);
        device.WriteFile("main", "/data/second.txt", "of the second application");

        device.ApplyTargetState(Target(FirstApplication));

        Assert.Equal(new Dictionary<string, string> { ["first.txt"] = "of the first application" }, device.Data);

        device.ApplyTargetState(Target(SecondApplication));

        Assert.Equal(new Dictionary<string, string> { ["second.txt"] = "of the second application" }, device.Data);
    }

    [Fact]
    public void Move_from_2_12_0_purges_named_volumes_and_moving_back_brings_nothing_back()
    {
        var device = New(hostOs: "2.12.0");
        device.WriteVolumeFile("app-db", "rows", "gone");
        device.WriteFile("main", "/data/first.txt", "gone");

        device.ApplyTargetState(Target(SecondApplication));

        Assert.All(device.Volumes.Values, Assert.Empty);
        Assert.Empty(device.Data);

        device.ApplyTargetState(Target(FirstApplication));

        Assert.All(device.Volumes.Values, Assert.Empty);
        Assert.Empty(device.Data);
    }

    [Fact]
    public void First_target_state_tells_the_device_its_application_and_purges_nothing()
    {
        var device = New(hostOs: "2.13.1", applicationId: null);
        device.WriteVolumeFile("app-db", "rows", "kept");
        device.WriteFile("main", "/data/config.json", "kept");

        device.ApplyTargetState(Target(SecondApplication));

        Assert.Equal(SecondApplication, device.ApplicationId);
        Assert.Equal("kept", device.Volumes["app-db"]["rows"]);
        Assert.Equal("kept", device.Data["config.json"]);
    }
}
