using System.Net.WebSockets;
using System.Security.Claims;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>A node that lets one device set up its connection at a time.</summary>
public sealed class NarrowDoorServer() : DeviceFleetServer(new FleetServerOptions
{
    Settings = new Dictionary<string, string?> { ["Fleet:DeviceAdmission:MostConnectingAtOnce"] = "1" },
});

public sealed class DeviceAdmissionTests(NarrowDoorServer server) : IClassFixture<NarrowDoorServer>
{
    private readonly Lifetime _lifetime = new();

    /// <summary>A signed-in device's WebSocket request to the hub, or another path's.</summary>
    private static DefaultHttpContext Request(int deviceId, string path = DeviceProtocol.HubPath)
    {
        var http = new DefaultHttpContext { Request = { Path = path, Headers = { Upgrade = "websocket" } } };
        http.Features.Set<IHttpResponseFeature>(new EndingResponse());
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(DeviceCredentials.DeviceIdClaim, deviceId.ToString())], "Device"));
        return http;
    }

    /// <summary>The request ends, as Kestrel ends it: what was registered to run on completion runs.</summary>
    private static Task EndAsync(HttpContext http) => ((EndingResponse)http.Features.Get<IHttpResponseFeature>()!).EndAsync();

    private DeviceAdmission Door(int most, TimeSpan longestWait) =>
        new(Options.Create(new DeviceAdmissionOptions { MostConnectingAtOnce = most, LongestWait = longestWait, RetryAfterSeconds = 3 }),
            _lifetime, NullLogger<DeviceAdmission>.Instance);

    [Fact]
    public async Task A_connection_past_the_limit_waits_and_goes_in_as_soon_as_one_being_set_up_is_recorded()
    {
        var admission = Door(1, TimeSpan.FromMinutes(5));
        var socketOpen = new TaskCompletionSource();
        var first = Request(1);
        // The first device's request lasts as long as its WebSocket: it is still open below.
        var firstRequest = admission.AdmitAsync(first, _ => socketOpen.Task);
        Assert.Equal(1, admission.Connecting);

        var secondIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = Request(2);
        var secondRequest = admission.AdmitAsync(second, _ => { secondIn.SetResult(); return Task.CompletedTask; });
        await Wait.UntilAsync(() => admission.Waiting == 1, "the second device waiting at the door");
        Assert.False(secondIn.Task.IsCompleted);

        // Pages never wait.
        var pageServed = false;
        await admission.AdmitAsync(Request(3, "/devices"), _ => { pageServed = true; return Task.CompletedTask; });
        Assert.True(pageServed);

        DeviceAdmission.Admitted(first);
        DeviceAdmission.Admitted(first);
        await Wait.UntilAsync(secondIn.Task, "the second device let in once the first was recorded");
        await secondRequest;
        // Its request ended before the hub recorded it: the place comes back all the same.
        await EndAsync(second);
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
        var firstRequest = admission.AdmitAsync(Request(1), _ => socketOpen.Task);

        var second = Request(2);
        await admission.AdmitAsync(second, _ => throw new InvalidOperationException("The second device was let in."));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, second.Response.StatusCode);
        Assert.Equal("3", second.Response.Headers.RetryAfter.ToString());
        Assert.Equal(1, admission.TurnedAway);
        Assert.Equal(0, admission.Waiting);
        socketOpen.SetResult();
        await firstRequest;
    }

    [Fact]
    public async Task One_device_has_one_place_at_the_door_and_none_is_given_while_the_node_stops()
    {
        var admission = Door(10, TimeSpan.FromMinutes(5));
        var socketOpen = new TaskCompletionSource();
        var first = Request(7);
        var firstRequest = admission.AdmitAsync(first, _ => socketOpen.Task);

        var again = Request(7);
        await admission.AdmitAsync(again, _ => throw new InvalidOperationException("The same device was let in twice at once."));
        Assert.Equal(StatusCodes.Status429TooManyRequests, again.Response.StatusCode);
        Assert.Equal(1, admission.Connecting);

        _lifetime.Stop();
        var late = Request(8);
        await admission.AdmitAsync(late, _ => throw new InvalidOperationException("A device was let into a stopping node."));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, late.Response.StatusCode);

        DeviceAdmission.Admitted(first);
        socketOpen.SetResult();
        await firstRequest;
        Assert.Equal(0, admission.Connecting);
    }

    [Fact]
    public async Task A_device_waits_at_the_real_door_while_another_is_set_up_and_comes_in_when_that_one_leaves()
    {
        var fleet = await server.FleetAsync("admission-door");
        var admission = server.Services.GetRequiredService<DeviceAdmission>();
        // A device that opens its WebSocket and never says hello holds the only place until it leaves.
        var holder = await fleet.RegisterAsync();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {holder.Credential}");
        var hub = new UriBuilder(new Uri(server.BaseAddress, DeviceProtocol.HubPath.TrimStart('/'))) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(hub, CancellationToken.None);
        await Wait.UntilAsync(() => admission.Connecting == 1, "the silent device holding the place");

        var fast = new SimulationOptions { TimeFactor = 20 };
        // Not awaited yet: starting completes with the agent's first attempt, which waits at the door.
        var starting = SimulatedFleet.StartAsync(server.BaseAddress, fleet.ProvisioningKey, 1, fast,
            _ => new SimulatedDevice(new DeviceSetup { HostOsVersion = "2.13.1", AgentVersion = "1.4.2", DeviceType = fleet.DeviceType }, fast));
        await Wait.UntilAsync(() => admission.Waiting == 1, "the agent waiting at the door");
        Assert.False(starting.IsCompleted);

        socket.Abort();

        await using var devices = await starting.WaitAsync(TimeSpan.FromMinutes(1));
        var agent = devices.Agents.Single();
        await agent.WhenConnectedAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var id = await fleet.DeviceIdAsync(agent.Identity.Uuid);
        await Wait.UntilAsync(() => server.Services.GetRequiredService<DeviceConnections>().IsRecorded(id), "the agent's connection recorded");
        await Wait.UntilAsync(() => admission.Connecting == 0 && admission.Waiting == 0, "no place held once the agent is in");
        Assert.Equal(0, admission.TurnedAway);
    }

    private sealed class EndingResponse : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

        public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

        public async Task EndAsync()
        {
            foreach (var (callback, state) in _completed) await callback(state);
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => _stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void Stop() => _stopping.Cancel();

        public void StopApplication() => Stop();
    }
}
