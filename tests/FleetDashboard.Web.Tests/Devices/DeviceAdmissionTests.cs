using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>A node that lets two devices set up their connections at a time.</summary>
public sealed class NarrowDoorServer() : DeviceFleetServer(new FleetServerOptions
{
    Settings = new Dictionary<string, string?> { ["Fleet:DeviceAdmission:MostConnectingAtOnce"] = "2" },
});

public sealed class DeviceAdmissionTests(NarrowDoorServer server) : IClassFixture<NarrowDoorServer>
{
    private static DefaultHttpContext HubRequest(string path = DeviceProtocol.HubPath) => new() { Request = { Path = path } };

    private static DeviceAdmission Door(int most, TimeSpan longestWait) =>
        new(Options.Create(new DeviceAdmissionOptions { MostConnectingAtOnce = most, LongestWait = longestWait, RetryAfterSeconds = 3 }),
            NullLogger<DeviceAdmission>.Instance);

    [Fact]
    public async Task A_connection_past_the_limit_waits_and_goes_in_as_soon_as_one_being_set_up_is_recorded()
    {
        var admission = Door(1, TimeSpan.FromMinutes(5));
        var socketOpen = new TaskCompletionSource();
        var first = HubRequest();
        // The first device's request lasts as long as its WebSocket: it is still open below.
        var firstRequest = admission.AdmitAsync(first, _ => socketOpen.Task);
        Assert.Equal(1, admission.Connecting);

        var secondIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondRequest = admission.AdmitAsync(HubRequest(), _ => { secondIn.SetResult(); return Task.CompletedTask; });
        await Wait.UntilAsync(() => admission.Waiting == 1, "the second device waiting at the door");
        Assert.False(secondIn.Task.IsCompleted);

        // Pages and everything else never wait.
        var pageServed = false;
        await admission.AdmitAsync(HubRequest("/devices"), _ => { pageServed = true; return Task.CompletedTask; });
        Assert.True(pageServed);

        DeviceAdmission.Admitted(first);
        DeviceAdmission.Admitted(first);
        await Wait.UntilAsync(secondIn.Task, "the second device let in once the first was recorded");
        await secondRequest;
        Assert.Equal(0, admission.Connecting);
        Assert.Equal(0, admission.TurnedAway);

        socketOpen.SetResult();
        await firstRequest;
        Assert.Equal(0, admission.Connecting);
    }

    [Fact]
    public async Task A_connection_that_waited_its_longest_is_turned_away_with_503_and_Retry_After()
    {
        var admission = Door(1, TimeSpan.FromMilliseconds(50));
        var socketOpen = new TaskCompletionSource();
        var firstRequest = admission.AdmitAsync(HubRequest(), _ => socketOpen.Task);

        var second = HubRequest();
        await admission.AdmitAsync(second, _ => throw new InvalidOperationException("The second device was let in."));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, second.Response.StatusCode);
        Assert.Equal("3", second.Response.Headers.RetryAfter.ToString());
        Assert.Equal(1, admission.TurnedAway);
        Assert.Equal(0, admission.Waiting);
        socketOpen.SetResult();
        await firstRequest;
    }

    [Fact]
    public async Task A_fleet_arriving_at_once_at_a_narrow_door_all_comes_in_with_its_back_off()
    {
        var fleet = await server.FleetAsync("admission-crowd");
        // Twenty times real time: the agents' first retry after 50 ms, not a second.
        var fast = new SimulationOptions { TimeFactor = 20 };
        await using var devices = await SimulatedFleet.StartAsync(server.BaseAddress, fleet.ProvisioningKey, 40, fast,
            _ => new SimulatedDevice(new DeviceSetup { HostOsVersion = "2.13.1", AgentVersion = "1.4.2", DeviceType = "raspberrypi4-64" }, fast));

        await Wait.UntilAsync(() => devices.Agents.All(a => a.IsConnected), "all 40 devices connected through a door for two",
            TimeSpan.FromMinutes(2));
        var connections = server.Services.GetRequiredService<DeviceConnections>();
        await Wait.UntilAsync(() => connections.Count >= 40, "the server holding all 40 connections");
        // Each connection counted while it was set up, and no longer once recorded.
        var admission = server.Services.GetRequiredService<DeviceAdmission>();
        await Wait.UntilAsync(() => admission.Connecting == 0, "no connection still counted as being set up");
    }
}
