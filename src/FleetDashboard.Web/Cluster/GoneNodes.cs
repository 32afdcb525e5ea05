using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace FleetDashboard.Web.Cluster;

/// <summary>
/// A node that dies without a word (SIGKILL, a lost machine) never closes its devices' connection records, so they
/// would show Connected for ever. The lease holder closes them, each record only if it is still that very
/// connection's (a device that reconnected since has a newer one and is left alone); the devices then turn Offline
/// when their heartbeat window runs out, as after a restart, unless they reconnect first. Two looks:
/// <list type="bullet">
/// <item>every few seconds, the roll of nodes: one whose heartbeat expired has its devices' entries closed;</item>
/// <item>when the lease is newly settled and every few minutes, the records no node claims at all: what a Redis
/// restart took with it (the roll, the entries) while a node died, or a whole cluster stopped at once.</item>
/// </list>
/// </summary>
public sealed class GoneNodes(FleetRedis redis, ClusterLease lease, RedisWhereabouts whereabouts, DeviceStates states,
    IDbContextFactory<FleetDbContext> dbs, ThisNode node, TimeProvider clock, ILogger<GoneNodes> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    /// <summary>How often the records no node claims are looked for: a whole read of the hash, so not every few seconds.</summary>
    public static readonly TimeSpan UnclaimedEvery = TimeSpan.FromMinutes(5);

    /// <summary>A record younger than this may be a connection whose entry is on its way to Redis.</summary>
    public static readonly TimeSpan EntryMargin = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        DateTimeOffset? unclaimedLooked = null;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (!lease.IsSettled)
                {
                    unclaimedLooked = null; // looked at again as soon as this node (again) holds the lease
                    continue;
                }
                await SweepAsync(stoppingToken);
                if (unclaimedLooked is null || clock.GetUtcNow() - unclaimedLooked >= UnclaimedEvery)
                {
                    await CloseUnclaimedAsync(stoppingToken);
                    unclaimedLooked = clock.GetUtcNow();
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Redis or the store is out: a background service that threw would stop the whole node.
                logger.LogWarning(e, "Looking for nodes that died failed; trying again in {Every}.", Every);
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

    /// <summary>Closes the records of connections no node has an entry for; returns how many.</summary>
    public async Task<int> CloseUnclaimedAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow() - EntryMargin;
        List<(int Id, DateTimeOffset ConnectedAt)> recorded;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            recorded = (await db.Devices.AsNoTracking().Where(d => d.ConnectedAt != null && d.ConnectedAt < before)
                .Select(d => new { d.Id, d.ConnectedAt }).ToListAsync(ct)).Select(d => (d.Id, d.ConnectedAt!.Value)).ToList();
        if (recorded.Count == 0) return 0;

        var claimed = (await whereabouts.AllAsync()).Select(e => e.DeviceId).ToHashSet();
        var unclaimed = recorded.Where(d => !claimed.Contains(d.Id)).ToList();
        foreach (var (id, connectedAt) in unclaimed) await states.DisconnectedAsync(id, connectedAt);
        if (unclaimed.Count > 0)
            logger.LogWarning("{Count} device connection record(s) that no node holds were closed.", unclaimed.Count);
        return unclaimed.Count;
    }
}
