using System.Collections.Concurrent;
using System.Net;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.SignalR.Client;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>
/// A bare device on a real SignalR connection, for tests of the server's door: it answers actions as the
/// test tells it to and keeps what it received. (The full agent and its simulated device are tested with
/// the simulator.)
/// </summary>
public sealed class TestDevice : IAsyncDisposable
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TestDevice(Uri server, string credential)
    {
        Connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, DeviceProtocol.HubPath.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(credential))
            .Build();
        Connection.On<ActionCommand, ActionResult>(DeviceProtocol.RunAction, async command =>
        {
            Commands.Add(command);
            return await Answer(command);
        });
        Connection.On(DeviceProtocol.TargetStateChanged, () => Nudges.Release());
        Connection.On<string>(DeviceProtocol.SlowDown, reason => SlowDowns.Enqueue(reason));
        Connection.Closed += _ => { _closed.TrySetResult(); return Task.CompletedTask; };
    }

    public HubConnection Connection { get; }
    public ConcurrentBag<ActionCommand> Commands { get; } = [];
    public SemaphoreSlim Nudges { get; } = new(0);

    /// <summary>What the server said when the device went over its message limit.</summary>
    public ConcurrentQueue<string> SlowDowns { get; } = [];

    /// <summary>How the device answers an action; by default it does what it is told.</summary>
    public Func<ActionCommand, Task<ActionResult>> Answer { get; set; } = _ => Task.FromResult(ActionResult.Succeeded);

    /// <summary>Completes when the server (or the network) closes the connection.</summary>
    public Task Closed => _closed.Task;

    public static async Task<TestDevice> ConnectAsync(Uri server, string credential)
    {
        var device = new TestDevice(server, credential);
        await device.Connection.StartAsync();
        return device;
    }

    public Task ReportAsync(string hostOs = "2.13.1", string agent = "1.4.2", bool lockHeld = false, DeviceProgress work = DeviceProgress.Idle, int? progress = null) =>
        Connection.InvokeAsync(DeviceProtocol.Report,
            new DeviceReport(DeviceProtocol.Version, hostOs, agent, null, ["192.168.7.20"], lockHeld, work, progress));

    public static bool IsUnauthorized(Exception e) =>
        e is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized };

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
