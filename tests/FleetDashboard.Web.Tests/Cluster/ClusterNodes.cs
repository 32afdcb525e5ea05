using System.Net;
using System.Net.Sockets;
using FleetDashboard.Web.Cluster;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>A dashboard node of several: its own data folder (and so its own key folder), the shared store, a Redis.</summary>
public sealed class ClusterNode(FleetServerOptions options) : DeviceFleetServer(options)
{
    public RedisWhereabouts Whereabouts => Services.GetRequiredService<RedisWhereabouts>();

    /// <summary>The connection the shared whereabouts name for the device, or null.</summary>
    public async Task<string?> ConnectionOfAsync(int deviceId) =>
        (await Whereabouts.WhereAsync([deviceId], CancellationToken.None))[0]?.ConnectionId;

    public IClusterLease Lease => Services.GetRequiredService<IClusterLease>();

    public DeviceConnections Connections => Services.GetRequiredService<DeviceConnections>();
}

/// <summary>
/// Two real nodes on loopback sharing one fleet: a PostgreSQL database of the test's own, as a cluster's store is, and
/// one Redis, under a prefix of the test's own so that tests side by side do not meet.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    /// <summary>The Redis that test.sh starts (deploy/local/redis.sh).</summary>
    public static string SharedRedis => $"127.0.0.1:{Environment.GetEnvironmentVariable("FLEET_REDIS_PORT") ?? "56379"}";

    private readonly FleetDataFolder _store = new(store: FleetStores.Postgres);

    public ClusterNodes(string? redis = null)
    {
        Prefix = $"fleet-test-{Guid.NewGuid():N}";
        Redis = redis ?? SharedRedis;
        A = Node();
        B = Node();
    }

    public string Prefix { get; }
    public string Redis { get; }
    public ClusterNode A { get; }
    public ClusterNode B { get; }

    private ClusterNode Node() => new(new FleetServerOptions
    {
        Settings = new Dictionary<string, string?>
        {
            ["Fleet:Store"] = _store.Store,
            ["ConnectionStrings:Fleet"] = _store.ConnectionString,
            ["Fleet:Redis"] = Redis,
            ["Fleet:RedisPrefix"] = Prefix,
            ["Fleet:Delivery:ActionTimeout"] = "00:00:10",
        },
    });

    /// <summary>Both nodes up, A first (it migrates the store).</summary>
    public async Task StartAsync()
    {
        _ = A.BaseAddress;
        _ = B.BaseAddress;
        await Task.CompletedTask;
    }

    /// <summary>A device of <paramref name="fleet"/> registered and connected to <paramref name="node"/>, known to every node.</summary>
    public async Task<(TestDevice Device, int Id)> ConnectAsync(Fleet fleet, ClusterNode node)
    {
        var registered = await Fleet.RegisterAsync(node.BaseAddress, fleet.ProvisioningKey, fleet.DeviceType);
        var id = await fleet.DeviceIdAsync(registered.Uuid);
        var device = await TestDevice.ConnectAsync(node.BaseAddress, registered.Credential);
        await Wait.UntilAsync(async () =>
        {
            await using var db = await node.DbAsync();
            return await db.Devices.AnyAsync(d => d.Id == id && d.ConnectedAt != null);
        }, "the device to be recorded as connected");
        var other = node == A ? B : A;
        await Wait.UntilAsync(async () => await other.ConnectionOfAsync(id) is not null,
            "the other node to know where the device is");
        return (device, id);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        _store.Dispose();
    }
}
