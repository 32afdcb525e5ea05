using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FleetDashboard.Bench.Hosting;
using StackExchange.Redis;

namespace FleetDashboard.Bench.Cluster;

/// <summary>
/// One or more dashboard nodes as processes of their own (`serve --mode real`, the Release build of the dashboard hosted
/// as the tests host it: Development, nothing seeded but the bench's application and its devices), each on a fixed
/// loopback port so that a restart finds it again. Several nodes share one <see cref="BenchStore"/> (PostgreSQL) and the
/// shared Redis under a prefix of their own, whose keys are deleted at the end. The first node starts alone (it migrates
/// the store and seeds the fleet), the others together.
/// </summary>
public sealed class BenchNodes : IAsyncDisposable
{
    private const int DevicesPerProcess = 5_000;

    private readonly string _name;
    private readonly List<string[]> _arguments;
    private readonly Dictionary<string, string> _environment;
    private readonly string? _redisPrefix;
    private readonly List<BenchProcess> _devices = [];

    private BenchNodes(string name, BenchStore store, bool echo, List<string[]> arguments, Dictionary<string, string> environment,
        string? redisPrefix)
    {
        _name = name;
        IsEcho = echo;
        Store = store;
        _arguments = arguments;
        _environment = environment;
        _redisPrefix = redisPrefix;
    }

    public static string SharedRedis => $"127.0.0.1:{Environment.GetEnvironmentVariable("FLEET_REDIS_PORT") ?? "56379"}";

    public BenchStore Store { get; }

    /// <summary>Bare SignalR nodes (`serve --mode echo`, with the Redis backplane when several): the ceiling.</summary>
    public bool IsEcho { get; }

    public List<BenchProcess> Nodes { get; } = [];

    public IReadOnlyList<BenchProcess> Devices => _devices;

    /// <summary>The first device and the number of devices of each device process, in the order of <see cref="Devices"/>.</summary>
    public List<(int First, int Count)> DeviceRanges { get; } = [];

    /// <summary>
    /// <paramref name="count"/> nodes over <paramref name="store"/>; more than one need PostgreSQL and take Redis. Bare
    /// nodes (<paramref name="echo"/>) have no store, and take Redis when several.
    /// </summary>
    public static async Task<BenchNodes> StartAsync(string name, int count, BenchStore store, int devices, BenchOptions options,
        CancellationToken ct, bool echo = false)
    {
        if (count > 1 && !store.IsPostgres && !echo) throw new InvalidOperationException("Several nodes share a PostgreSQL store, not a SQLite file.");
        var data = Path.Combine(options.WorkDirectory, name.Replace(' ', '-'));
        Directory.CreateDirectory(data);
        var settings = echo ? [] : new Dictionary<string, string>(store.Settings);
        string? prefix = null;
        if (count > 1)
        {
            prefix = $"fleet-bench-{Guid.NewGuid():N}";
            settings["Fleet:Redis"] = SharedRedis;
            settings["Fleet:RedisPrefix"] = prefix;
        }
        var arguments = Enumerable.Range(0, count).Select(_ => (string[])
        [
            "serve", "--mode", echo ? "echo" : "real", "--port", FreePort().ToString(CultureInfo.InvariantCulture), "--data", data,
            "--devices", devices.ToString(CultureInfo.InvariantCulture), .. BenchServer.SetArguments(settings),
        ]).ToList();
        // As deployed: the web SDK turns server GC on for the dashboard (BENCH_SERVER_GC=0: workstation GC, to compare).
        var environment = new Dictionary<string, string> { ["DOTNET_gcServer"] = Environment.GetEnvironmentVariable("BENCH_SERVER_GC") ?? "1" };
        var nodes = new BenchNodes(name, store, echo, arguments, environment, prefix);
        try
        {
            nodes.Nodes.Add(await nodes.StartNodeAsync(0, TimeSpan.FromMinutes(5), ct));
            nodes.Nodes.AddRange(await Task.WhenAll(Enumerable.Range(1, count - 1).Select(i => nodes.StartNodeAsync(i, TimeSpan.FromMinutes(3), ct))));
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
        options.Say($"{name}: {count} node(s) up on {string.Join(", ", nodes.Nodes.Select(n => n.Address))}");
        return nodes;
    }

    /// <summary>
    /// Device processes of at most 5,000 devices each for devices 0 … <paramref name="n"/>−1, device d on node d mod the
    /// number of nodes; none connected yet.
    /// </summary>
    public async Task StartDevicesAsync(int n, BenchOptions options, CancellationToken ct)
    {
        var processes = Math.Max(2, (n + DevicesPerProcess - 1) / DevicesPerProcess);
        var urls = string.Join(",", Nodes.Select(node => node.Address!.ToString()));
        _devices.AddRange(await Task.WhenAll(Enumerable.Range(0, processes).Select(p =>
        {
            var first = n * p / processes;
            var count = n * (p + 1) / processes - first;
            lock (DeviceRanges) DeviceRanges.Add((first, count));
            List<string> args = ["devices", "--url", urls, "--first", first.ToString(CultureInfo.InvariantCulture),
                "--count", count.ToString(CultureInfo.InvariantCulture)];
            if (options.Smoke) args.Add("--quick-reconnect");
            return BenchProcess.StartAsync($"{_name} devices {p}", args, TimeSpan.FromMinutes(1), ct);
        })));
    }

    /// <summary>Every node killed at once (a power cut of the whole set), then all started again at once.</summary>
    /// <returns>A clock started at the launch, and how long the slowest node took from launch to ready.</returns>
    public async Task<(Stopwatch Launched, TimeSpan Ready)> RestartAllAsync(CancellationToken ct)
    {
        await Task.WhenAll(Nodes.Select(n => n.KillAsync()));
        await Task.WhenAll(Nodes.Select(n => n.DisposeAsync().AsTask()));
        // What the killed nodes left behind as connected, as a node's start forgets it for itself.
        if (IsEcho && _redisPrefix is not null) await ForgetRedisKeysAsync(_redisPrefix);
        else if (Store.IsPostgres && Nodes.Count > 1) await Store.ForgetConnectionsAsync(ct);
        var launch = Stopwatch.StartNew();
        var restarted = await Task.WhenAll(Enumerable.Range(0, Nodes.Count).Select(i => StartNodeAsync(i, TimeSpan.FromMinutes(3), ct, " (restarted)")));
        Nodes.Clear();
        Nodes.AddRange(restarted);
        return (launch, launch.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_devices.Select(d => d.DisposeAsync().AsTask()));
        await Task.WhenAll(Nodes.Select(n => n.DisposeAsync().AsTask()));
        if (_redisPrefix is not null) await ForgetRedisKeysAsync(_redisPrefix);
    }

    private Task<BenchProcess> StartNodeAsync(int index, TimeSpan readyWithin, CancellationToken ct, string suffix = "") =>
        BenchProcess.StartAsync($"{_name} node {index + 1}{suffix}", _arguments[index], readyWithin, ct, _environment);

    /// <summary>The shared Redis keeps nothing of this run: its whereabouts hash alone holds an entry per device.</summary>
    public static async Task ForgetRedisKeysAsync(string prefix)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis);
        var db = redis.GetDatabase();
        foreach (var endpoint in redis.GetEndPoints())
            await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: prefix + "*"))
                await db.KeyDeleteAsync(key);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
