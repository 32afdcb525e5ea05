using FleetDashboard.Web.Devices;
using StackExchange.Redis;

namespace FleetDashboard.Web.Cluster;

/// <summary>
/// Which connection holds each device, shared by every node: one Redis hash, device id to connection id. The
/// backplane needs only the connection id to reach a device on any node.
/// </summary>
public sealed class RedisWhereabouts : IDeviceWhereabouts
{
    // Only the connection that wrote the entry removes it: a reconnection to another node overtook it otherwise.
    private const string RemoveIfStillScript =
        "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";

    private readonly FleetRedis _redis;
    private readonly DeviceConnections _connections;
    private readonly ILogger<RedisWhereabouts> _logger;
    private readonly RedisKey _devices;

    public RedisWhereabouts(FleetRedis redis, DeviceConnections connections, ILogger<RedisWhereabouts> logger)
    {
        (_redis, _connections, _logger) = (redis, connections, logger);
        _devices = redis.Key("devices");
        // Redis keeps nothing across a restart (no persistence), and writes failed while it was down: say again
        // which devices are here.
        redis.Connection.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive) _ = TellAgainAsync();
        };
    }

    private IDatabase Db => _redis.Connection.GetDatabase();

    public async Task HereAsync(int deviceId, string connectionId)
    {
        try
        {
            await Db.HashSetAsync(_devices, deviceId, connectionId);
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
            await Db.ScriptEvaluateAsync(RemoveIfStillScript, [_devices], [deviceId, connectionId]);
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            // A stale entry is harmless: a delivery through it finds no connection and says so.
            _logger.LogWarning(e, "Could not tell the other nodes that device {DeviceId} left.", deviceId);
        }
    }

    public async Task<string?> ElsewhereAsync(int deviceId, CancellationToken ct)
    {
        try
        {
            var connectionId = await Db.HashGetAsync(_devices, deviceId).WaitAsync(ct);
            return connectionId.IsNullOrEmpty ? null : connectionId.ToString();
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            throw new NodesUnreachableException(e);
        }
    }

    private async Task TellAgainAsync()
    {
        try
        {
            var here = _connections.Snapshot().Select(d => new HashEntry(d.DeviceId, d.ConnectionId)).ToArray();
            if (here.Length > 0) await Db.HashSetAsync(_devices, here);
        }
        catch (Exception e) when (FleetRedis.IsDown(e))
        {
            _logger.LogWarning(e, "Could not tell the other nodes again which devices are here.");
        }
    }
}
