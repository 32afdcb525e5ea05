using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Tests.Simulation;

public class RestartTests
{
    [Fact]
    public void Restart_loses_writable_layers_and_keeps_data_and_volumes()
    {
        var device = TestDevices.New();
        device.WriteFile("main", "/tmp/session", "lost");
        device.WriteFile("main", "/data/config.json", "kept");
        device.WriteVolumeFile("app-db", "rows", "kept");
        var before = device.Container("main").CreatedAt;
        device.Advance(1);

        Assert.Equal(ActionResult.Succeeded, device.Run(DeviceCommand.Restart));

        Assert.Empty(device.Container("main").WritableLayer);
        Assert.True(device.Container("main").CreatedAt > before, "the container is a new one");
        Assert.Equal("kept", device.Data["config.json"]);
        Assert.Equal("kept", device.Volumes["app-db"]["rows"]);
        Assert.All(device.Containers, c => Assert.True(c.IsRunning));
    }

    [Fact]
    public async Task Service_ignoring_SIGTERM_is_killed_after_10_seconds()
    {
        var device = TestDevices.New(ignoringSigterm: ["worker"]);
        device.WriteFile("worker", "/var/lib/state", "lost");

        var restart = device.RunAsync(DeviceCommand.Restart);
        device.Advance(9.9);

        Assert.False(restart.IsCompleted, "the stop waits for SIGKILL");
        Assert.All(device.Containers, c => Assert.False(c.IsRunning));

        device.Advance(0.1);

        Assert.True(restart.IsCompletedSuccessfully);
        Assert.Equal(ActionResult.Succeeded, await restart);
        Assert.Empty(device.Container("worker").WritableLayer);
        Assert.All(device.Containers, c => Assert.True(c.IsRunning));
    }

    [Fact]
    public void Kill_timeout_is_scaled_by_the_time_factor()
    {
        var device = TestDevices.New(ignoringSigterm: ["main"], timeFactor: 10);

        var restart = device.RunAsync(DeviceCommand.Restart);
        device.Advance(0.9);
        Assert.False(restart.IsCompleted);
        device.Advance(0.1);

        Assert.True(restart.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Reboot_during_a_slow_restart_fails_the_restart()
    {
        var device = TestDevices.New(ignoringSigterm: ["worker"]);
        var restart = device.RunAsync(DeviceCommand.Restart);

        device.Run(DeviceCommand.Reboot);

        Assert.True(restart.IsCompletedSuccessfully);
        Assert.Equal(ActionResultKind.Failed, (await restart).Kind);
    }
}
