using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// A device's agent knows one address, nginx's: when the node holding its connection goes away, the agent's back-off
/// brings it back through nginx, which skips the node that does not answer for the one that does. A cluster of its
/// own, since one of its nodes is stopped.
/// </summary>
public sealed class NginxFailoverTests
{
    [Fact]
    public async Task A_device_behind_nginx_whose_node_stops_comes_back_through_nginx_on_the_other_node_and_takes_an_action_there()
    {
        var cluster = new NginxCluster();
        try
        {
            await cluster.InitializeAsync();
            var fleet = await cluster.A.FleetAsync("nginx-failover");
            var fast = new SimulationOptions { TimeFactor = 20 };
            await using var devices = await SimulatedFleet.StartAsync(cluster.Front.Address, fleet.ProvisioningKey, 1, fast,
                _ => new SimulatedDevice(new DeviceSetup { HostOsVersion = "2.13.1", AgentVersion = "1.4.2", DeviceType = fleet.DeviceType }, fast));
            var agent = devices.Agents.Single();
            await agent.WhenConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var id = await fleet.DeviceIdAsync(agent.Identity.Uuid);

            StampedNode[] nodes = [cluster.A, cluster.B];
            // Recorded, not only held: until the store has the connection an action plans the device as Offline.
            bool Holds(StampedNode node) => node.Services.GetRequiredService<DeviceConnections>().IsRecorded(id);
            StampedNode? holder = null;
            await Wait.UntilAsync(() => (holder = nodes.FirstOrDefault(Holds)) is not null, "a node to hold the device's connection");
            var other = nodes.Single(n => n != holder);
            var connections = agent.ConnectionCount;

            await cluster.StopAsync(holder!);

            await Wait.UntilAsync(() => agent.ConnectionCount > connections && agent.IsConnected, "the agent to connect again through nginx",
                TimeSpan.FromMinutes(1));
            await Wait.UntilAsync(() => Holds(other), "the other node to hold the device's connection");
            var run = await other.Actions.RunAsync(fleet.Operator, new(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, id)));
            await using var db = await other.DbAsync();
            var outcome = await db.ActionOutcomes.AsNoTracking().SingleAsync(o => o.ActionRunId == run.Id && o.DeviceId == id);
            Assert.Equal(OutcomeKind.Succeeded, outcome.Kind);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
