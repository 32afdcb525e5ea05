using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// A device that goes quiet without a close the server saw (a restart of the server, a dead network) turns
/// Offline when its heartbeat window runs out, and nothing happens at that moment: this watch notices it
/// every few seconds and tells the pages.
/// </summary>
public sealed class SilentDevices(IDbContextFactory<FleetDbContext> dbs, DeviceFeed feed, TimeProvider clock,
    Cluster.IClusterLease? lease = null, ILogger<SilentDevices>? logger = null) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest time nobody sweeps when a holder dies: its lease runs out (a term after its last renewal), the next
    /// node takes it at its next try, then sweeps at its next tick.
    /// </summary>
    private static readonly TimeSpan Handover = Cluster.ClusterLease.Term + Cluster.ClusterLease.Every + 2 * Every;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>Polls longer than this are not looked for: a device so slow is Offline long before anyone waits.</summary>
    private static readonly TimeSpan LongestWindow = DeviceStatusRules.OnlineWindow(TimeSpan.FromHours(2));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = clock.GetUtcNow();
        using var timer = new PeriodicTimer(Every, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = clock.GetUtcNow();
            try
            {
                // One of several nodes: only the lease's holder sweeps, and the feed carries its news to every node.
                if (lease is null || lease.IsHeld)
                {
                    await SweepAsync(since, now, stoppingToken);
                    since = now;
                }
                else
                {
                    // Not the holder: stay a handover behind, so that a node taking the lease from a dead one announces
                    // what ran out while nobody held it (an Offline said twice does no harm; one never said stays Online).
                    since = Max(since, now - Handover);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The store is out (or busy): a watch that threw would stop the whole node (the host stops on a
                // failed background service). The next sweep starts from the same moment, so nothing is missed.
                logger?.LogWarning(e, "Looking for devices gone silent failed; trying again in {Every}.", Every);
            }
        }
    }

    /// <summary>Publishes Offline for every device whose heartbeat window ran out after <paramref name="since"/>, up to <paramref name="now"/>.</summary>
    public async Task<int> SweepAsync(DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var horizon = since - LongestWindow;
        var quiet = await db.Devices.AsNoTracking()
            .Where(d => d.ConnectedAt == null && d.ApplicationId != null && d.DeactivatedAt == null && d.LastContactAt > horizon)
            .ToListAsync(ct);
        var expired = quiet.Where(d => d.IsReachableAt(since) && !d.IsReachableAt(now)).ToList();
        foreach (var device in expired)
            feed.Publish(new DeviceEvent(device.Id, device.ApplicationId, now) { Status = device.StatusAt(now) });
        return expired.Count;
    }
}
