using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using StackExchange.Redis;

namespace FleetDashboard.Web.Cluster;

/// <summary>
/// A node that dies without a word (SIGKILL, a lost machine) never closes its devices' connection records, so they
/// would show Connected for ever. The lease holder looks every few seconds for nodes whose heartbeat expired and
/// closes, for each device still placed on such a node, the record of that very connection: a device that has
/// reconnected since has a newer record and a newer entry, and is left alone. Its devices then turn Offline when
/// their heartbeat window runs out, as after a restart, unless they reconnect first.
/// </summary>
public sealed class GoneNodes(FleetRedis redis, ClusterLease lease, RedisWhereabouts whereabouts, DeviceStates states,
    ThisNode node, TimeProvider clock, ILogger<GoneNodes> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (lease.IsHeld) await SweepAsync(stoppingToken);
            }
            catch (RedisException e)
            {
                logger.LogWarning(e, "Redis is unreachable: nodes that died are looked for again when it returns.");
            }
        }
    }

    /// <summary>Closes the connection records left by nodes found gone; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var db = redis.Connection.GetDatabase();
        var others = (await db.SetMembersAsync(lease.Nodes)).Select(n => n.ToString()).Where(n => n != node.BootId).ToList();
        var gone = await lease.GoneAsync(others, ct);
        if (gone.Count == 0) return 0;

        var left = (await whereabouts.AllAsync()).Where(e => gone.Contains(e.Where.Node)).ToList();
        foreach (var (deviceId, where) in left)
        {
            await states.DisconnectedAsync(deviceId, where.ConnectedAt);
            await whereabouts.ForgetAsync(deviceId, where.ConnectionId);
        }
        await db.SetRemoveAsync(lease.Nodes, gone.Select(n => (RedisValue)n).ToArray());
        logger.LogWarning("Node(s) {Nodes} stopped without closing: {Count} device connection(s) closed for them.",
            string.Join(", ", gone), left.Count);
        return left.Count;
    }
}
