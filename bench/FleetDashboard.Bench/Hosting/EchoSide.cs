using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FleetDashboard.Bench.Hosting;

/// <summary>
/// `serve --mode echo`: a bare Kestrel + SignalR hub at the device hub's path, the ceiling of B1–B4. count: its
/// connections; reboot: every connection asked at once, answered when all have answered.
/// With `--set Fleet:Redis=… --set Fleet:RedisPrefix=…` it is one of several bare nodes, the ceiling of B8 and B9:
/// SignalR's Redis backplane, and one Redis hash of every node's connections (what a node must know to reach a
/// device on another), so that count and reboot are the whole set's.
/// </summary>
public sealed class EchoSide(WebApplication app, Uri address) : BenchServer.ISide
{
    public static async Task<EchoSide> StartAsync(int port, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var signalR = builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = DeviceProtocol.MaxMessageBytes);
        if (settings.GetValueOrDefault("Fleet:Redis") is { } redis)
        {
            var prefix = settings.GetValueOrDefault("Fleet:RedisPrefix") ?? "fleet-bench-echo";
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis);
            builder.Services.AddSingleton(new EchoCluster(multiplexer.GetDatabase(), $"{prefix}:connections"));
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal($"{prefix}:hub"));
        }
        var app = builder.Build();
        app.MapHub<EchoHub>(DeviceProtocol.HubPath);
        await app.StartAsync();
        return new EchoSide(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Where the connections of all the bare nodes are: a Redis hash, connection id to nothing.</summary>
    public sealed record EchoCluster(IDatabase Redis, RedisKey Connections);

    private EchoCluster? Cluster => app.Services.GetService<EchoCluster>();

    public Uri Address => address;

    public async Task<string?> AnswerAsync(string[] command) => command switch
    {
        ["count"] => Cluster is { } cluster ? (await cluster.Redis.HashLengthAsync(cluster.Connections)).ToString() : EchoHub.Connections.Count.ToString(),
        ["reboot"] => await RebootAsync(),
        _ => null,
    };

    private async Task<string> RebootAsync()
    {
        var hub = app.Services.GetRequiredService<IHubContext<EchoHub>>();
        var command = new ActionCommand(DeviceProtocol.Version, 1, DeviceCommand.Reboot, false);
        var confirm = DateTime.UtcNow.Ticks;
        var clock = Stopwatch.StartNew();
        // One node of several asks the set's hash, as ours asks its whereabouts; the backplane carries each call.
        var ids = Cluster is { } cluster
            ? (await cluster.Redis.HashKeysAsync(cluster.Connections)).Select(k => k.ToString()).ToList()
            : EchoHub.Connections.Keys.ToList();
        var answers = await Task.WhenAll(ids.Select(id =>
            hub.Clients.Client(id).InvokeAsync<ActionResult?>(DeviceProtocol.RunAction, command, CancellationToken.None)));
        return $"{confirm} {clock.Elapsed.TotalMilliseconds:F0} {answers.Length} {answers.Count(a => a?.Kind == ActionResultKind.Succeeded)}";
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    /// <summary>Takes what a device sends and keeps nothing but a count: SignalR's own cost.</summary>
    private sealed class EchoHub(IServiceProvider services) : Hub
    {
        private readonly EchoCluster? cluster = services.GetService<EchoCluster>();

        public static readonly ConcurrentDictionary<string, byte> Connections = new();
        private static long _messages;

        public override async Task OnConnectedAsync()
        {
            Connections[Context.ConnectionId] = 0;
            if (cluster is not null) await cluster.Redis.HashSetAsync(cluster.Connections, Context.ConnectionId, "");
        }

        public override async Task OnDisconnectedAsync(Exception? exception)
        {
            Connections.TryRemove(Context.ConnectionId, out _);
            if (cluster is not null) await cluster.Redis.HashDeleteAsync(cluster.Connections, Context.ConnectionId);
        }

        public void Heartbeat() => Interlocked.Increment(ref _messages);

        public void Report(DeviceReport report) => Interlocked.Increment(ref _messages);
    }
}
