using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Agent.Tests.Simulation;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Tests.Connection;

public sealed class DeviceAgentTests : IAsyncLifetime
{
    private readonly ManualSimulationClock _clock = new();
    private readonly HttpClient _http = new();
    private StandInDeviceServer _server = null!;
    private SimulationOptions _options = null!;

    public async Task InitializeAsync()
    {
        _server = await StandInDeviceServer.StartAsync();
        // Manual clock for the device (boot, progress, heartbeats, polls); a fast real back-off for reconnects.
        _options = new SimulationOptions { Clock = _clock, FirstReconnectDelay = TimeSpan.FromMilliseconds(50) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Registered_device_connects_and_reports_its_state()
    {
        await using var agent = await StartedAgentAsync(new DeviceSetup { HostOsVersion = "2.9.0", AgentVersion = "1.1.0" });

        Assert.True(agent.IsConnected);
        Assert.Equal(1, agent.ConnectionCount);
        await Wait.UntilAsync(() => _server.Reports.Any(r => r.Uuid == agent.Identity.Uuid), "a report");
        var report = _server.Reports.First(r => r.Uuid == agent.Identity.Uuid).Report;
        Assert.Equal(("2.9.0", "1.1.0", DeviceProtocol.Version), (report.HostOsVersion, report.AgentVersion, report.ProtocolVersion));
        Assert.Equal(agent.Identity.Uuid, agent.Device.Uuid);
        await Wait.UntilAsync(() => _server.Fetches.ContainsKey(agent.Identity.Uuid), "a target state fetch on connect");
    }

    [Fact]
    public async Task Registration_with_a_wrong_key_says_what_the_server_said()
    {
        var refused = await Assert.ThrowsAsync<DeviceRegistrationException>(() =>
            DeviceAgent.RegisterAsync(_http, _server.Address, "a-wrong-key", new SimulatedDevice(options: _options)));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("That provisioning key is unknown or revoked.", refused.Message);
    }

    [Fact]
    public async Task Reboot_is_answered_before_the_connection_drops_and_the_device_comes_back_when_booted()
    {
        await using var agent = await StartedAgentAsync();
        var uuid = agent.Identity.Uuid;

        var answer = await _server.RunActionAsync(uuid, DeviceCommand.Reboot);

        Assert.Equal(ActionResult.Succeeded, answer);
        await Wait.UntilAsync(() => !_server.IsConnected(uuid), "the server to see the device go");
        Assert.Equal(DevicePower.Booting, agent.Device.Power);
        await Wait.UntilAsync(() => agent.State == AgentState.DeviceDown, "the agent to wait for the boot");

        _clock.Advance(_options.BootTime);

        await Wait.UntilAsync(agent.WhenConnectedAsync(2), "the reconnection after boot");
        await Wait.UntilAsync(() => _server.IsConnected(uuid), "the server to see the device back");
    }

    [Fact]
    public async Task Shut_down_device_stays_offline_until_powered_on()
    {
        await using var agent = await StartedAgentAsync();
        var uuid = agent.Identity.Uuid;

        Assert.Equal(ActionResult.Succeeded, await _server.RunActionAsync(uuid, DeviceCommand.Shutdown));
        await Wait.UntilAsync(() => !_server.IsConnected(uuid), "the server to see the device go");
        _clock.Advance(TimeSpan.FromHours(1));

        // The server may see the close before the agent has noted it: wait for the agent, do not race it.
        await Wait.UntilAsync(() => agent.State == AgentState.DeviceDown, "the agent to note that its device is down");
        Assert.Equal(1, agent.ConnectionCount);

        agent.Device.PowerOn();
        _clock.Advance(_options.BootTime);

        await Wait.UntilAsync(agent.WhenConnectedAsync(2), "the reconnection after power on");
    }

    [Fact]
    public async Task Held_lock_refuses_over_the_connection_until_forced()
    {
        await using var agent = await StartedAgentAsync();
        agent.Device.HoldLock();

        Assert.Equal(ActionResult.LockHeld, await _server.RunActionAsync(agent.Identity.Uuid, DeviceCommand.Restart));
        Assert.Equal(ActionResult.Succeeded,
            await _server.RunActionAsync(agent.Identity.Uuid, DeviceCommand.Restart, force: true));
    }

    [Fact]
    public async Task Nudge_fetches_the_target_state_at_once_and_progress_is_reported()
    {
        await using var agent = await StartedAgentAsync();
        var uuid = agent.Identity.Uuid;
        _server.Targets[uuid] = TestDevices.Target(release: "r2", services: TestDevices.SecondServices);

        await _server.NudgeAsync(uuid);

        await Wait.UntilAsync(() => agent.Device.Work == DeviceProgress.ApplyingRelease, "the download to start");
        _clock.Advance(_options.ReleaseDownloadDuration / 2);
        await Wait.UntilAsync(() => _server.Reports.Any(r => r.Uuid == uuid && r.Report.ProgressPercent == 50),
            "a report of 50 %");
        _clock.Advance(_options.ReleaseDownloadDuration / 2);
        await Wait.UntilAsync(() => _server.Reports.Any(r => r.Uuid == uuid && r.Report.ReleaseCommit == "r2"
            && r.Report.Work == DeviceProgress.Idle), "a report of the new release");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dropped_connection_comes_back_by_itself(bool withoutGoodbye)
    {
        await using var agent = await StartedAgentAsync();
        var uuid = agent.Identity.Uuid;
        await Wait.UntilAsync(() => _server.Reports.Any(r => r.Uuid == uuid), "the first report");

        _server.Cut(uuid, withoutGoodbye: withoutGoodbye);

        await Wait.UntilAsync(agent.WhenConnectedAsync(2), "the reconnection");
        await Wait.UntilAsync(() => _server.Reports.Count(r => r.Uuid == uuid) >= 2,
            "a fresh report on the new connection");
    }

    [Fact]
    public async Task Refused_credential_stops_trying_and_says_why()
    {
        var device = new SimulatedDevice(options: _options);
        await using var agent = new DeviceAgent(_server.Address, new DeviceIdentity("f00d", "stolen", "not-a-credential"),
            device, _options);

        await agent.StartAsync();

        Assert.Equal(AgentState.Refused, agent.State);
        Assert.Contains("401", agent.StopReason);
        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.WhenConnectedAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Credential_revoked_while_connected_stops_the_agent(bool withoutGoodbye)
    {
        await using var agent = await StartedAgentAsync();

        _server.Cut(agent.Identity.Uuid, revoke: true, withoutGoodbye: withoutGoodbye);

        await Wait.UntilAsync(() => agent.State == AgentState.Refused, "the agent to give up");
        Assert.Contains("revoked", agent.StopReason);
    }

    [Fact]
    public async Task Agent_that_cannot_reach_the_server_keeps_trying_until_it_can()
    {
        var uuid = Guid.NewGuid().ToString("N");
        var credential = _server.AddCredential(uuid);
        var nowhere = new Uri($"http://127.0.0.1:{FreePort()}");
        await using var lost = new DeviceAgent(nowhere, new DeviceIdentity(uuid, "lost", credential),
            new SimulatedDevice(options: _options), _options);

        await lost.StartAsync();

        Assert.False(lost.IsConnected);
        await Wait.UntilAsync(() => lost.State == AgentState.Reconnecting, "the agent to back off and retry");
    }

    [Fact]
    public async Task Fleet_registers_each_device_with_its_own_credential_and_connects_them_all()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_server.Address, StandInDeviceServer.ProvisioningKey,
            20, _options with { StartConcurrency = 5 },
            i => new SimulatedDevice(new DeviceSetup { HostOsVersion = i % 2 == 0 ? "2.9.0" : "2.13.1" }, _options));

        Assert.Equal(20, fleet.ConnectedCount);
        Assert.Equal(20, fleet.Agents.Select(a => a.Identity.Credential).Distinct().Count());
        await Wait.UntilAsync(() => fleet.Agents.All(a => _server.IsConnected(a.Identity.Uuid)), "all 20 on the server");

        var one = fleet.Agents[3].Identity.Uuid;
        await _server.RunActionAsync(one, DeviceCommand.Shutdown);
        await Wait.UntilAsync(() => !_server.IsConnected(one), "the shut-down device to go");
        fleet.PowerOn(one);
        _clock.Advance(_options.BootTime);
        await Wait.UntilAsync(fleet.Agent(one).WhenConnectedAsync(2), "the powered-on device to come back");
    }

    private async Task<DeviceAgent> StartedAgentAsync(DeviceSetup? setup = null)
    {
        var device = new SimulatedDevice(setup ?? new DeviceSetup
        {
            ReleaseCommit = "r1",
            Services = TestDevices.FirstServices,
        }, _options);
        var identity = await DeviceAgent.RegisterAsync(_http, _server.Address, StandInDeviceServer.ProvisioningKey, device);
        var agent = new DeviceAgent(_server.Address, identity, device, _options);
        await agent.StartAsync();
        Assert.True(agent.IsConnected, $"connected at start, not {agent.State}");
        // The agent knows it is connected a moment before the server's hub has it: a cut before then finds no
        // connection to cut (the revoked-credential test waited 30 s for nothing so, once, under load).
        await Wait.UntilAsync(() => _server.IsConnected(identity.Uuid), "the server to hold the agent's connection");
        return agent;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
