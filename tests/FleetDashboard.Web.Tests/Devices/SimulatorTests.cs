using FleetDashboard.Web.Actions;
using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using FleetDashboard.Testing;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>Simulated devices with their agents against the real server: every rule seen working end to end.</summary>
public sealed class SimulatorTests(DeviceFleetServer server) : IClassFixture<DeviceFleetServer>
{
    // Twenty times real time: a boot takes a second, the SIGTERM grace half a second.
    private static readonly SimulationOptions Fast = new() { TimeFactor = 20 };

    private static Func<int, SimulatedDevice> Shaped(string hostOs = "2.13.1", string agent = "1.4.2", string deviceType = "raspberrypi4-64") =>
        _ => new SimulatedDevice(new DeviceSetup { HostOsVersion = hostOs, AgentVersion = agent, DeviceType = deviceType, Volumes = ["data"] }, Fast);

    private async Task<(Fleet Fleet, SimulatedFleet Devices)> StartAsync(string name, int count = 1, Func<int, SimulatedDevice>? shape = null)
    {
        var fleet = await server.FleetAsync(name);
        var devices = await SimulatedFleet.StartAsync(server.BaseAddress, fleet.ProvisioningKey, count, Fast, shape ?? Shaped());
        foreach (var agent in devices.Agents) await agent.WhenConnectedAsync().WaitAsync(TimeSpan.FromSeconds(15));
        // The device has fetched its first target state: it knows its application.
        await Wait.UntilAsync(() => devices.Devices.All(d => d.ApplicationId == fleet.ApplicationId), "every device to know its application");
        return (fleet, devices);
    }

    private async Task<Device> StoredAsync(string uuid)
    {
        await using var db = await server.DbAsync();
        return await db.Devices.AsNoTracking().SingleAsync(d => d.Uuid == uuid);
    }

    private async Task<string> OutcomeAsync(ActionRun run, int deviceId)
    {
        await using var db = await server.DbAsync();
        return (await db.ActionOutcomes.SingleAsync(o => o.ActionRunId == run.Id && o.DeviceId == deviceId)).ToString();
    }

    [Fact]
    public async Task Reboot_comes_back_Online_and_shutdown_stays_Offline_until_powered_on()
    {
        var (fleet, devices) = await StartAsync("power", count: 2);
        await using var _ = devices;
        var (rebooting, stopping) = (devices.Agents[0], devices.Agents[1]);
        var rebootingId = (await StoredAsync(rebooting.Identity.Uuid)).Id;
        var stoppingId = (await StoredAsync(stopping.Identity.Uuid)).Id;
        var before = rebooting.ConnectionCount;

        var reboot = await server.Actions.RunAsync(fleet.Operator, new(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, rebootingId)));
        var shutdown = await server.Actions.ConfirmedRunAsync(fleet.Operator, new(new ShutdownDevice(), DeviceTargets.Device(fleet.ApplicationId, stoppingId)));

        Assert.Equal("succeeded", await OutcomeAsync(reboot, rebootingId));
        Assert.Equal("succeeded", await OutcomeAsync(shutdown, stoppingId));
        await rebooting.WhenConnectedAsync(before + 1).WaitAsync(TimeSpan.FromSeconds(15));
        await Wait.UntilAsync(async () => (await StoredAsync(rebooting.Identity.Uuid)).ConnectedAt is not null, "the rebooted device to be Online again");
        Assert.Equal(1, rebooting.Device.PowerCycles);

        // The rebooted device came back; the one shut down did not, and the server knows it.
        var connections = server.Services.GetRequiredService<DeviceConnections>();
        await Wait.UntilAsync(() => !connections.IsConnected(stoppingId), "the shut-down device's connection to close");
        Assert.False(stopping.Device.IsPoweredOn);
        Assert.Null((await StoredAsync(stopping.Identity.Uuid)).ConnectedAt);

        devices.PowerOn(stopping.Identity.Uuid);
        await Wait.UntilAsync(() => connections.IsConnected(stoppingId), "the device to come back once powered on");
    }

    [Fact]
    public async Task Identify_blinks_a_connected_device_even_with_its_lock_held()
    {
        var (fleet, devices) = await StartAsync("identify");
        await using var _ = devices;
        devices.Devices[0].HoldLock();
        var id = (await StoredAsync(devices.Agents[0].Identity.Uuid)).Id;

        var run = await server.Actions.RunAsync(fleet.Operator, new(new IdentifyDevice(), DeviceTargets.Device(fleet.ApplicationId, id)));

        Assert.Equal("succeeded", await OutcomeAsync(run, id));
        Assert.True(devices.Devices[0].IsBlinking);
        Assert.Equal(0, devices.Devices[0].PowerCycles);
    }

    [Fact]
    public async Task A_held_lock_refuses_a_restart_until_forced_and_an_old_agent_is_refused_a_purge()
    {
        var (fleet, devices) = await StartAsync("lock-and-agent", count: 2,
            shape: i => Shaped(agent: i == 0 ? "1.4.2" : "1.0.4")(i));
        await using var _ = devices;
        var locked = devices.Agents[0];
        var old = devices.Agents[1];
        var lockedId = (await StoredAsync(locked.Identity.Uuid)).Id;
        var oldId = (await StoredAsync(old.Identity.Uuid)).Id;
        locked.Device.HoldLock();

        var held = await server.Actions.RunAsync(fleet.Operator, new(new RestartApplication(), DeviceTargets.Device(fleet.ApplicationId, lockedId)));
        var forced = await server.Actions.RunAsync(fleet.Operator, new(new RestartApplication(Force: true), DeviceTargets.Device(fleet.ApplicationId, lockedId)));
        var purge = await server.Actions.ConfirmedRunAsync(fleet.Operator, new(new PurgeData(), DeviceTargets.Device(fleet.ApplicationId, oldId)));

        Assert.Equal("refused: update lock held", await OutcomeAsync(held, lockedId));
        Assert.Equal("succeeded", await OutcomeAsync(forced, lockedId));
        Assert.Equal("refused: agent too old", await OutcomeAsync(purge, oldId));
    }

    [Fact]
    public async Task Settings_reach_a_connected_device_at_once_and_an_offline_one_when_it_returns()
    {
        var (fleet, devices) = await StartAsync("settings-live", count: 2);
        await using var _ = devices;
        var online = devices.Agents[0];
        var away = devices.Agents[1];
        var onlineId = (await StoredAsync(online.Identity.Uuid)).Id;
        var awayId = (await StoredAsync(away.Identity.Uuid)).Id;
        // The second device goes off the air (shut down) before the settings change.
        await server.Actions.ConfirmedRunAsync(fleet.Operator, new(new ShutdownDevice(), DeviceTargets.Device(fleet.ApplicationId, awayId)));
        await Wait.UntilAsync(() => !server.Services.GetRequiredService<DeviceConnections>().IsConnected(awayId), "the device to be off");

        var both = DeviceTargets.Group(fleet.ApplicationId, [onlineId, awayId]);
        foreach (var setting in new DeviceAction[] { new SetPublicUrl(true), new SetLockOverride(true), new SetLocalMode(true) })
            Assert.Null((await server.Actions.RunAsync(fleet.Operator, new(setting, both))).Refusal);

        await Wait.UntilAsync(() => online.Device.TargetState is { PublicUrl: true, LockOverride: true, LocalMode: true },
            "the connected device to hold every setting", TimeSpan.FromSeconds(5));

        devices.PowerOn(away.Identity.Uuid);
        await Wait.UntilAsync(() => away.Device.TargetState is { PublicUrl: true, LockOverride: true, LocalMode: true },
            "the returning device to fetch every setting");
    }

    [Fact]
    public async Task A_new_target_release_and_a_new_device_type_reach_a_connected_device()
    {
        var (fleet, devices) = await StartAsync("release");
        await using var _ = devices;
        var agent = devices.Agents[0];
        var id = (await StoredAsync(agent.Identity.Uuid)).Id;
        var developer = await server.DeveloperAsync(fleet);

        Assert.Null((await server.Actions.RunAsync(developer, ActionRequest.On(fleet.ApplicationId, new CreateRelease("f00dfeed", new Dictionary<string, string> { ["main"] = "registry.test/main:2" })))).Refusal);
        await using (var db = await server.DbAsync())
        {
            var release = await db.Releases.SingleAsync(r => r.ApplicationId == fleet.ApplicationId);
            Assert.Null((await server.Actions.RunAsync(developer, ActionRequest.On(fleet.ApplicationId, new SetTargetRelease(release.Id)))).Refusal);
        }
        await Wait.UntilAsync(async () => (await StoredAsync(agent.Identity.Uuid)).ReleaseCommit == "f00dfeed",
            "the device to download, apply and report the release", TimeSpan.FromSeconds(20));
        Assert.Equal("registry.test/main:2", agent.Device.Services["main"]);

        Assert.Null((await server.Actions.RunAsync(fleet.Operator, new(new ChangeDeviceType("generic-aarch64"), DeviceTargets.Device(fleet.ApplicationId, id)))).Refusal);
        await Wait.UntilAsync(() => agent.Device.TargetState?.DeviceType == "generic-aarch64", "the device to learn its new type");
    }

    [Fact]
    public async Task A_pinned_device_installs_its_pin_while_the_others_install_the_target_until_it_is_unpinned()
    {
        var (fleet, devices) = await StartAsync("pinned", count: 2);
        await using var _ = devices;
        var (follower, pinned) = (devices.Agents[0], devices.Agents[1]);
        var pinnedId = (await StoredAsync(pinned.Identity.Uuid)).Id;
        var developer = fleet.Developer!;
        async Task<int> ReleaseAsync(string commit, string version)
        {
            var run = await server.Actions.RunAsync(developer, ActionRequest.On(fleet.ApplicationId,
                new CreateRelease(commit, new Dictionary<string, string> { ["main"] = $"registry.test/main:{version}" }, version, "from the page")));
            Assert.Null(run.Refusal);
            return await server.QueryAsync(db => db.Releases.Where(r => r.ApplicationId == fleet.ApplicationId && r.Commit == commit).Select(r => r.Id).SingleAsync());
        }
        var canary = await ReleaseAsync("ca7a11e5", "2.0.0-canary");
        var stable = await ReleaseAsync("57ab1e00", "1.9.0");

        Assert.Null((await server.Actions.RunAsync(developer, new(new PinRelease(canary), DeviceTargets.Device(fleet.ApplicationId, pinnedId)))).Refusal);
        Assert.Null((await server.Actions.RunAsync(developer, ActionRequest.On(fleet.ApplicationId, new SetTargetRelease(stable)))).Refusal);

        await Wait.UntilAsync(async () => (await StoredAsync(follower.Identity.Uuid)).ReleaseCommit == "57ab1e00"
                                          && (await StoredAsync(pinned.Identity.Uuid)).ReleaseCommit == "ca7a11e5",
            "the follower to install the target and the pinned device its pin", TimeSpan.FromSeconds(20));
        Assert.Equal("registry.test/main:2.0.0-canary", pinned.Device.Services["main"]);

        Assert.Null((await server.Actions.RunAsync(developer, new(new PinRelease(null), DeviceTargets.Device(fleet.ApplicationId, pinnedId)))).Refusal);
        await Wait.UntilAsync(async () => (await StoredAsync(pinned.Identity.Uuid)).ReleaseCommit == "57ab1e00",
            "the unpinned device to install the target", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_host_OS_update_runs_reboots_and_comes_back_on_the_new_version()
    {
        var (fleet, devices) = await StartAsync("host-os");
        await using var _ = devices;
        var agent = devices.Agents[0];
        var id = (await StoredAsync(agent.Identity.Uuid)).Id;

        var run = await server.Actions.RunAsync(fleet.Operator, new(new UpdateHostOs(new FleetVersion(2, 14, 0)), DeviceTargets.Device(fleet.ApplicationId, id)));

        Assert.Null(run.Refusal);
        await Wait.UntilAsync(async () => (await StoredAsync(agent.Identity.Uuid)) is { HostOsVersion: var v, TargetHostOsVersion: null } && v == new FleetVersion(2, 14, 0),
            "the device to report 2.14.0", TimeSpan.FromSeconds(20));
        Assert.Equal("2.14.0", agent.Device.HostOsVersion);
        Assert.Equal(1, agent.Device.PowerCycles);
    }

    [Theory]
    [InlineData("2.13.1")]
    [InlineData("2.9.0")]
    public async Task A_move_purges_volumes_from_2_12_0_and_keeps_old_data_below_it(string hostOs)
    {
        var (fleet, devices) = await StartAsync($"move-{hostOs}", shape: Shaped(hostOs: hostOs));
        await using var _ = devices;
        var neighbour = await server.NeighbourAsync(fleet, $"move-{hostOs}-b");
        var device = devices.Devices[0];
        var id = (await StoredAsync(device.Uuid!)).Id;
        device.WriteDataFile("state.json", "home");
        device.WriteVolumeFile("data", "db.sqlite", "home");

        var away = await server.Actions.ConfirmedRunAsync(fleet.Operator, new(new MoveDevice(neighbour), DeviceTargets.Device(fleet.ApplicationId, id)));
        Assert.Null(away.Refusal);
        await Wait.UntilAsync(() => device.ApplicationId == neighbour, "the device to move");
        Assert.Empty(device.Data);
        if (hostOs == "2.13.1") Assert.Empty(device.Volumes["data"]);

        var back = await server.Actions.ConfirmedRunAsync(fleet.Operator, new(new MoveDevice(fleet.ApplicationId), DeviceTargets.Device(neighbour, id)));
        Assert.Null(back.Refusal);
        await Wait.UntilAsync(() => device.ApplicationId == fleet.ApplicationId, "the device to move back");
        if (hostOs == "2.9.0") Assert.Equal("home", device.Data["state.json"]);
        else Assert.Empty(device.Data);
    }

    [Fact]
    public async Task A_group_action_over_500_simulated_devices_records_exactly_500_outcomes()
    {
        var (fleet, devices) = await StartAsync("five-hundred", count: 500);
        await using var _ = devices;

        var run = await server.Actions.RunAsync(fleet.Operator, new(new RestartApplication(), DeviceTargets.Application(fleet.ApplicationId)));

        await using var db = await server.DbAsync();
        var outcomes = await db.ActionOutcomes.Where(o => o.ActionRunId == run.Id).ToListAsync();
        Assert.Equal(500, run.DeviceCount);
        Assert.Equal(500, outcomes.Count);
        Assert.Equal(500, outcomes.Select(o => o.DeviceId).Distinct().Count());
        Assert.All(outcomes, o => Assert.Equal(OutcomeKind.Succeeded, o.Kind));
    }
}
