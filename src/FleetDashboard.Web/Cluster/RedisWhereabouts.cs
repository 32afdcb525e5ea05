using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using StackExchange.Redis;

namespace FleetDashboard.Web.Cluster;

/// <summary>
/// Which connection holds each device, shared by every node: one Redis hash, device id to
/// <see cref="Whereabout"/>. The node is where an action for the device goes (<see cref="DeliveryRelay"/>); the
/// connection and the moment its record opened let the lease holder close the records of a node that died without
/// a word (<see cref="GoneNodes"/>).
/// </summary>
public sealed class RedisWhereabouts : IDeviceWhereabouts
{
    // Only the connection that wrote the entry removes it: a reconnection to another node overtook it otherwise.
    private const string RemoveIfStillScript =
        "local v = redis.call('HGET', KEYS[1], ARGV[1]) if v and string.sub(v, 1, #ARGV[2]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";

    private readonly FleetRedis _redis;
    private readonly DeviceConnections _connections;
    private readonly ThisNode _node;
    private readonly ILogger<RedisWhereabouts> _logger;
    private readonly RedisKey _devices;

    public RedisWhereabouts(FleetRedis redis, DeviceConnections connections, ThisNode node, ILogger<RedisWhereabouts> logger)
    {
        (_redis, _connections, _node, _logger) = (redis, connections, node, logger);
        _devices = redis.Key("devices");
        // Redis keeps nothing across a restart (no persistence), and writes failed while it was down: say again
        // which devices are here.
        redis.Connection.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive) _ = TellAgainAsync();
        };
    }

    private IDatabase Db => _redis.Connection.GetDatabase();

    public async Task HereAsync(int deviceId, string connectionId, DateTimeOffset connectedAt)
    {
        try
        {
            await Db.HashSetAsync(_devices, deviceId, new Whereabout(connectionId, _node.BootId, connectedAt).ToString());
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            // The device works on this node; the others find it once Redis is back (TellAgainAsync).
            _logger.LogWarning(e, "Could not tell the other nodes that device {DeviceId} is here.", deviceId);
        }
    }

    public async Task GoneAsync(int deviceId, string connectionId)
    {
        try
        {
            await ForgetAsync(deviceId, connectionId);
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            // A stale entry is harmless: a delivery through it finds no connection and says so.
            _logger.LogWarning(e, "Could not tell the other nodes that device {DeviceId} left.", deviceId);
        }
    }

    /// <summary>
    /// Where each of these devices is connected (null for one connected nowhere), in one round trip per
    /// thousand devices rather than one per device: a run's fan-out asks for all of them at once.
    /// </summary>
    /// <exception cref="NodesUnreachableException">Redis cannot be reached to ask.</exception>
    public async Task<Whereabout?[]> WhereAsync(IReadOnlyList<int> deviceIds, CancellationToken ct)
    {
        try
        {
            var asked = deviceIds.Chunk(1000).Select(chunk => Db.HashGetAsync(_devices, [.. chunk.Select(id => (RedisValue)id)]));
            var entries = (await Task.WhenAll(asked).WaitAsync(ct)).SelectMany(e => e);
            return entries.Select(e => e.IsNullOrEmpty ? null : Whereabout.Parse(e.ToString())).ToArray();
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            throw new NodesUnreachableException(e);
        }
    }

    /// <summary>Every device's entry, for the lease holder's look at the nodes that died.</summary>
    public async Task<IReadOnlyList<(int DeviceId, Whereabout Where)>> AllAsync() =>
        (await Db.HashGetAllAsync(_devices)).Select(e => ((int)e.Name, Whereabout.Parse(e.Value.ToString()))).ToList();

    /// <summary>Removes the device's entry if it still names this connection.</summary>
    public Task ForgetAsync(int deviceId, string connectionId) =>
        Db.ScriptEvaluateAsync(RemoveIfStillScript, [_devices], [deviceId, connectionId + Whereabout.Separator]);

    private async Task TellAgainAsync()
    {
        try
        {
            var here = _connections.Snapshot()
                .Select(d => new HashEntry(d.DeviceId, new Whereabout(d.ConnectionId, _node.BootId, d.ConnectedAt).ToString()))
                .ToArray();
            if (here.Length > 0) await Db.HashSetAsync(_devices, here);
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            _logger.LogWarning(e, "Could not tell the other nodes again which devices are here.");
        }
    }
}

/// <summary>A device's connection: its id, the node holding it, and when the store recorded it as open.</summary>
public sealed record Whereabout(string ConnectionId, string Node, DateTimeOffset ConnectedAt)
{
    // Neither SignalR's connection ids (base64url) nor boot ids (hex) contain it.
    public const char Separator = ' ';

    public override string ToString() => $"{ConnectionId}{Separator}{Node}{Separator}{ConnectedAt.UtcTicks}";

    public static Whereabout Parse(string entry)
    {
        var parts = entry.Split(Separator);
        return new Whereabout(parts[0], parts[1], new DateTimeOffset(long.Parse(parts[2]), TimeSpan.Zero));
    }
}
