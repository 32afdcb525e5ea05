using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Bench.Hosting;

/// <summary>
/// `serve --mode echo`: a bare Kestrel + SignalR hub at the device hub's path, the ceiling of B1–B4. count: its
/// connections; reboot: every connection asked at once, answered when all have answered.
/// </summary>
public sealed class EchoSide(WebApplication app, Uri address) : BenchServer.ISide
{
    public static async Task<EchoSide> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = DeviceProtocol.MaxMessageBytes);
        var app = builder.Build();
        app.MapHub<EchoHub>(DeviceProtocol.HubPath);
        await app.StartAsync();
        return new EchoSide(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public Uri Address => address;

    public async Task<string?> AnswerAsync(string[] command) => command switch
    {
        ["count"] => EchoHub.Connections.Count.ToString(),
        ["reboot"] => await RebootAsync(),
        _ => null,
    };

    private async Task<string> RebootAsync()
    {
        var hub = app.Services.GetRequiredService<IHubContext<EchoHub>>();
        var command = new ActionCommand(DeviceProtocol.Version, 1, DeviceCommand.Reboot, false);
        var confirm = DateTime.UtcNow.Ticks;
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(EchoHub.Connections.Keys.Select(id =>
            hub.Clients.Client(id).InvokeAsync<ActionResult?>(DeviceProtocol.RunAction, command, CancellationToken.None)));
        return $"{confirm} {clock.Elapsed.TotalMilliseconds:F0} {answers.Length} {answers.Count(a => a?.Kind == ActionResultKind.Succeeded)}";
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    /// <summary>Takes what a device sends and keeps nothing but a count: SignalR's own cost.</summary>
    private sealed class EchoHub : Hub
    {
        public static readonly ConcurrentDictionary<string, byte> Connections = new();
        private static long _messages;

        public override Task OnConnectedAsync()
        {
            Connections[Context.ConnectionId] = 0;
            return Task.CompletedTask;
        }

        public override Task OnDisconnectedAsync(Exception? exception)
        {
            Connections.TryRemove(Context.ConnectionId, out _);
            return Task.CompletedTask;
        }

        public void Heartbeat() => Interlocked.Increment(ref _messages);

        public void Report(DeviceReport report) => Interlocked.Increment(ref _messages);
    }
}
