using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Cluster;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>What a node that died without a word (no close, no goodbye: SIGKILL) leaves behind, cleaned by the lease holder.</summary>
public sealed class GoneNodeTests
{
    [Fact]
    public async Task The_connection_records_of_a_node_that_died_are_closed_by_the_lease_holder_and_a_live_node_is_left_alone()
    {
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("gone-node");
        var (live, liveId) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var _ = live;
        // A device whose connection a node recorded, and that node then died: its entry and record stay as it left them.
        var registered = await Fleet.RegisterAsync(nodes.A.BaseAddress, fleet.ProvisioningKey, fleet.DeviceType);
        var orphanId = await fleet.DeviceIdAsync(registered.Uuid);
        var connectedAt = DateTimeOffset.UtcNow.AddSeconds(-30);
        await using (var db = await nodes.A.DbAsync())
            await db.Devices.Where(d => d.Id == orphanId).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.ConnectedAt, connectedAt).SetProperty(d => d.LastContactAt, connectedAt));
        var redis = nodes.A.Services.GetRequiredService<FleetRedis>();
        var lease = nodes.A.Services.GetRequiredService<ClusterLease>();
        var store = redis.Connection.GetDatabase();
        await store.HashSetAsync(redis.Key("devices"), orphanId, new Whereabout("gone-connection", "dead-node", connectedAt).ToString());
        await store.SetAddAsync(lease.Nodes, "dead-node");

        // The node leaves the roll last, once its devices are closed and forgotten.
        await Wait.UntilAsync(async () => !await store.SetContainsAsync(lease.Nodes, "dead-node"),
            "the lease holder to find the dead node and close what it left", TimeSpan.FromSeconds(60));

        await using (var db = await nodes.A.DbAsync())
            Assert.True(await db.Devices.AnyAsync(d => d.Id == orphanId && d.ConnectedAt == null));
        Assert.False(await store.HashExistsAsync(redis.Key("devices"), orphanId));
        // The live node's device: still connected, still reachable from the other node.
        await using (var db = await nodes.A.DbAsync())
            Assert.True(await db.Devices.AnyAsync(d => d.Id == liveId && d.ConnectedAt != null));
        Assert.NotNull(await nodes.A.ConnectionOfAsync(liveId));
    }

    [Fact]
    public async Task A_connection_record_no_node_claims_is_closed_and_a_claimed_one_is_left_alone()
    {
        await using var nodes = new ClusterNodes();
        await nodes.StartAsync();
        var fleet = await nodes.A.FleetAsync("unclaimed");
        var (live, liveId) = await nodes.ConnectAsync(fleet, nodes.B);
        await using var _ = live;
        // Recorded as connected two minutes ago by a node Redis has forgotten (Redis restarted while it died).
        var registered = await Fleet.RegisterAsync(nodes.A.BaseAddress, fleet.ProvisioningKey, fleet.DeviceType);
        var strandedId = await fleet.DeviceIdAsync(registered.Uuid);
        var connectedAt = DateTimeOffset.UtcNow.AddMinutes(-2);
        await using (var db = await nodes.A.DbAsync())
            await db.Devices.Where(d => d.Id == strandedId).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.ConnectedAt, connectedAt).SetProperty(d => d.LastContactAt, connectedAt));
        // The live device's record is older than the margin too, so only its entry in Redis keeps it.
        await using (var db = await nodes.A.DbAsync())
            await db.Devices.Where(d => d.Id == liveId).ExecuteUpdateAsync(s => s.SetProperty(d => d.ConnectedAt, connectedAt));
        await nodes.B.Services.GetRequiredService<RedisWhereabouts>().HereAsync(liveId, "live-connection", connectedAt);

        // Looked at once the lease settles and every few minutes after; asked here rather than waited for. (The holder's
        // own first look may have come first: either way, only the unclaimed record is closed.)
        await nodes.A.Services.GetRequiredService<GoneNodes>().CloseUnclaimedAsync(CancellationToken.None);

        await Wait.UntilAsync(async () =>
        {
            await using var db = await nodes.A.DbAsync();
            return await db.Devices.AnyAsync(d => d.Id == strandedId && d.ConnectedAt == null);
        }, "the unclaimed record closed");
        await using (var db = await nodes.A.DbAsync())
            Assert.True(await db.Devices.AnyAsync(d => d.Id == liveId && d.ConnectedAt == connectedAt));
    }
}
