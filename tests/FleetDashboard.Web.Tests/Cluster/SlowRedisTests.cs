using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// Redis that answers too late (a loaded machine: seen in B9, where one node of three stopped) is Redis down for that
/// moment, never the end of a node.
/// </summary>
public sealed class SlowRedisTests
{
    [Fact]
    public async Task Nodes_keep_running_and_a_node_holds_the_lease_again_after_Redis_answered_too_late()
    {
        await using var redis = await OwnRedis.StartAsync();
        await using var nodes = new ClusterNodes(redis.Configuration);
        await nodes.StartAsync();
        await Wait.UntilAsync(() => nodes.A.Lease.IsHeld || nodes.B.Lease.IsHeld, "a node to take the lease");

        // Past the nodes' 2 s timeout, and longer than a renewal's 1 s pace: every node's lease loop meets a timeout.
        await redis.StallAsync(TimeSpan.FromSeconds(4));

        await Wait.UntilAsync(() => nodes.A.Lease.IsHeld || nodes.B.Lease.IsHeld, "a node to hold the lease again", TimeSpan.FromSeconds(30));
        foreach (var node in new[] { nodes.A, nodes.B })
        {
            Assert.False(node.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested,
                "a node began to stop after Redis answered too late");
            using var http = new HttpClient { BaseAddress = node.BaseAddress };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("readyz")).StatusCode);
        }
    }
}
