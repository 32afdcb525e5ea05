using FleetDashboard.Web.Actions;
using StackExchange.Redis;

namespace FleetDashboard.Web.Cluster;

/// <summary>
/// A lease in Redis (SET NX PX through StackExchange.Redis's LockTake, renewed with LockExtend) for the work done
/// once, and each node's heartbeat key, which expires when the node dies. A holder that dies stops renewing, and
/// another node takes the lease within <see cref="Term"/>; a holder that stops gives it up at once.
/// </summary>
public sealed class ClusterLease(FleetRedis redis, ThisNode node, TimeProvider clock, ILogger<ClusterLease> logger)
    : BackgroundService, IClusterLease
{
    public static readonly TimeSpan Term = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private readonly RedisKey _lease = redis.Key("lease");
    private long _validUntil; // UTC ticks, read by other threads
    private DateTimeOffset? _heldSince;

    private string Node => node.BootId;

    private RedisKey Heartbeat(string node) => redis.Key($"node:{node}");

    /// <summary>Every node that has written a heartbeat and not yet been found gone: a Redis set of boot ids.</summary>
    public RedisKey Nodes => redis.Key("nodes");

    public bool IsHeld => clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _validUntil);

    /// <summary>
    /// Held for a whole term: by then every live node has written its heartbeat, and said again where its devices
    /// are, since Redis last came back. Only then may what is missing from Redis be taken for gone.
    /// </summary>
    public bool IsSettled => IsHeld && _heldSince is { } since && clock.GetUtcNow() - since >= Term;

    public async Task<IReadOnlyList<string>> GoneAsync(IReadOnlyCollection<string> nodes, CancellationToken ct)
    {
        // A node's heartbeat may be missing only because Redis lost it (a restart): wait a whole term of holding,
        // by which every live node has written its own again.
        if (!IsSettled) return [];
        var db = redis.Connection.GetDatabase();
        var gone = new List<string>();
        foreach (var node in nodes)
            if (!await db.KeyExistsAsync(Heartbeat(node)).WaitAsync(ct)) gone.Add(node);
        return gone;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                var db = redis.Connection.GetDatabase();
                await db.StringSetAsync(Heartbeat(Node), clock.GetUtcNow().ToString("O"), Term);
                // The roll of nodes, so that the lease holder finds one that died (GoneNodes).
                await db.SetAddAsync(Nodes, Node);
                var now = clock.GetUtcNow();
                var held = IsHeld
                    ? await db.LockExtendAsync(_lease, Node, Term)
                    : await db.LockTakeAsync(_lease, Node, Term);
                if (held)
                {
                    if (_heldSince is null) logger.LogInformation("This node ({Node}) now holds the lease of the work done once.", Node);
                    _heldSince ??= now;
                    // Counted from before the request: the lease in Redis ends no sooner than this.
                    Interlocked.Exchange(ref _validUntil, (now + Term - Every).UtcTicks);
                }
                else
                {
                    Lose();
                }
            }
            catch (Exception e) when (FleetRedis.IsDown(e))
            {
                // Redis down, or too slow to answer within its timeout (RedisTimeoutException is a TimeoutException, not a
                // RedisException: uncaught, it ended this background service and so the whole node, seen under load in B9):
                // this node cannot know that it still holds the lease, so it acts as if it did not.
                Lose();
                logger.LogWarning(e, "Redis is unreachable: the lease and the heartbeat wait for it.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Handed over at once rather than after a term. The heartbeat is left to expire: this node still closes
            // its own runs as it stops, and no other node should close them first.
            if (_heldSince is not null) await redis.Connection.GetDatabase().LockReleaseAsync(_lease, Node);
        }
        catch (Exception e) when (FleetRedis.IsDown(e) || e is ObjectDisposedException)
        {
            // The lease ends by itself within a term.
        }
        Lose();
    }

    private void Lose()
    {
        _heldSince = null;
        Interlocked.Exchange(ref _validUntil, 0);
    }
}
