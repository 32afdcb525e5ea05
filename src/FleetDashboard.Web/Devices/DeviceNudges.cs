using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// Nudges the devices connected to this node: each fetches its target state at once. A device that may no longer
/// connect (deleted, orphaned) has its connection cut instead. Devices on other nodes are their nodes' to nudge
/// (<see cref="Cluster.NudgeRelay"/> carries the ids there).
/// </summary>
public sealed class DeviceNudges(IHubContext<DeviceHub> hub, DeviceConnections connections, IDbContextFactory<FleetDbContext> dbs)
{
    public async Task NudgeHereAsync(IReadOnlyCollection<int> deviceIds, CancellationToken cancellationToken)
    {
        var connected = deviceIds.Where(connections.IsConnected).ToList();
        if (connected.Count == 0) return;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var stillMembers = (await db.Devices.Where(d => connected.Contains(d.Id) && d.ApplicationId != null)
            .Select(d => d.Id).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var gone in connected.Where(id => !stillMembers.Contains(id))) connections.Abort(gone);
        // All at once: one slow connection must not hold back the others.
        await Task.WhenAll(connected.Where(stillMembers.Contains).Select(async deviceId =>
        {
            if (connections.TryGetConnectionId(deviceId, out var connectionId))
                await hub.Clients.Client(connectionId).SendAsync(DeviceProtocol.TargetStateChanged, cancellationToken);
        }));
    }
}
