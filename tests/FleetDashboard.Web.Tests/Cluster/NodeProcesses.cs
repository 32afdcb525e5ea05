using FleetDashboard.Web.Api.AccessTokens;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Api;
using FleetDashboard.Web.Tests.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>A fleet made for nodes in other processes: what a device registers with, and an operator's API token.</summary>
public sealed record NodeFleet(int ApplicationId, string ProvisioningKey, string DeviceType, string OperatorToken);

/// <summary>A test device connected to a node, with the credential it reconnects with (to another node when its own dies).</summary>
public sealed record ConnectedDevice(TestDevice Device, int Id, string Credential);

/// <summary>
/// Several dashboard nodes as real processes (<see cref="NodeProcess"/>) sharing one fleet: a PostgreSQL database of
/// the test's own and a Redis (the shared one under a prefix of the test's own, or the test's own server). Disposing
/// it kills every node still running and drops the database.
/// </summary>
public sealed class NodeProcesses : IAsyncDisposable
{
    private readonly FleetDataFolder _store = new(store: FleetStores.Postgres);
    private readonly List<NodeProcess> _nodes = [];
    private readonly List<TestDevice> _devices = [];
    private readonly Lazy<ConnectionMultiplexer> _redis;

    public NodeProcesses(string? redis = null)
    {
        Prefix = $"fleet-test-{Guid.NewGuid():N}";
        Redis = redis ?? ClusterNodes.SharedRedis;
        _redis = new(() => ConnectionMultiplexer.Connect($"{Redis},abortConnect=false"));
    }

    public string Prefix { get; }
    public string Redis { get; }

    /// <summary>The test's own view of Redis: the keys the nodes share (where devices are, the lease).</summary>
    public IDatabase RedisDb => _redis.Value.GetDatabase();

    /// <summary>Each node's delivery deadline: short, so that a run whose node died is closed within a test.</summary>
    public static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(8);

    /// <summary>Starts the nodes side by side, each on a free port, and waits until every one is ready.</summary>
    public async Task<IReadOnlyList<NodeProcess>> StartAsync(params string[] names)
    {
        var settings = new Dictionary<string, string>
        {
            ["Fleet__Store"] = FleetStores.Postgres,
            ["ConnectionStrings__Fleet"] = _store.ConnectionString,
            ["Fleet__Redis"] = Redis,
            ["Fleet__RedisPrefix"] = Prefix,
            ["Fleet__Delivery__ActionTimeout"] = ActionTimeout.ToString(),
            ["Fleet__Registration__PerAddress__Burst"] = "10000", ["Fleet__Registration__PerAddress__PerSecond"] = "10000",
        };
        var started = await Task.WhenAll(names.Select(name => NodeProcess.StartAsync(name, settings)));
        lock (_nodes) _nodes.AddRange(started);
        return started;
    }

    /// <summary>
    /// An application with an operator and a provisioning key, made by an in-process node over the same database that
    /// stops before the test goes on (it migrates the database too). Call it before <see cref="StartAsync"/>: that
    /// node is not part of the cluster, and alone it would take every other node's runs for a dead process's.
    /// </summary>
    public async Task<NodeFleet> FleetAsync(string name)
    {
        await using var maker = new ClusterNode(new FleetServerOptions
        {
            Settings = new Dictionary<string, string?> { ["Fleet:Store"] = FleetStores.Postgres, ["ConnectionStrings:Fleet"] = _store.ConnectionString },
        });
        var fleet = await maker.FleetAsync(name);
        var token = await maker.Services.GetRequiredService<AccessTokens>().CreateAsync(fleet.Operator, "cluster tests", TimeSpan.FromDays(1));
        Assert.Null(token.Problem);
        return new NodeFleet(fleet.ApplicationId, fleet.ProvisioningKey, fleet.DeviceType, token.Secret!);
    }

    /// <summary>The operator's API on <paramref name="node"/>.</summary>
    public static ApiClient Api(NodeFleet fleet, NodeProcess node) => ApiClient.On(node.BaseAddress, fleet.OperatorToken);

    public FleetDbContext Db() => _store.Db();

    /// <summary>A device registered and connected to <paramref name="node"/>, once every node can find it there.</summary>
    public async Task<ConnectedDevice> ConnectAsync(NodeFleet fleet, NodeProcess node)
    {
        var registered = await Fleet.RegisterAsync(node.BaseAddress, fleet.ProvisioningKey, fleet.DeviceType);
        int id;
        await using (var db = Db()) id = await db.Devices.Where(d => d.Uuid == registered.Uuid).Select(d => d.Id).SingleAsync();
        var device = await TestDevice.ConnectAsync(node.BaseAddress, registered.Credential);
        lock (_devices) _devices.Add(device);
        await WhereaboutsAsync(id, device, node);
        return new ConnectedDevice(device, id, registered.Credential);
    }

    /// <summary>The device connected again, to <paramref name="node"/>, as an agent with a list of servers does when its own dies.</summary>
    public async Task<ConnectedDevice> ReconnectAsync(ConnectedDevice device, NodeProcess node)
    {
        var again = await TestDevice.ConnectAsync(node.BaseAddress, device.Credential);
        lock (_devices) _devices.Add(again);
        await WhereaboutsAsync(device.Id, again, node);
        return device with { Device = again };
    }

    /// <summary>The shared hash of where devices are names this device's connection (the client's id is the server's).</summary>
    public async Task<string?> WhereIsAsync(int deviceId) =>
        await RedisDb.HashGetAsync($"{Prefix}:devices", deviceId) is { IsNullOrEmpty: false } entry
            ? Web.Cluster.Whereabout.Parse(entry.ToString()).ConnectionId
            : null;

    private Task WhereaboutsAsync(int id, TestDevice device, NodeProcess node) =>
        Wait.UntilAsync(async () => await WhereIsAsync(id) == device.Connection.ConnectionId,
            $"every node to find device {id} on {node}");

    /// <summary>The node that holds the lease now (its value in Redis is the holder's boot id; the holder logs that it took it).</summary>
    public async Task<string?> LeaseHolderAsync() => await RedisDb.StringGetAsync($"{Prefix}:lease");

    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices) await device.DisposeAsync();
        foreach (var node in _nodes) await node.DisposeAsync();
        if (_redis.IsValueCreated) await _redis.Value.DisposeAsync();
        _store.Dispose();
    }
}
