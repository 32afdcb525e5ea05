using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Data;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Devices;

public sealed class LiveDemoTests(LiveDemoServer server) : IClassFixture<LiveDemoServer>
{
    [Fact]
    public async Task The_Development_run_brings_the_demo_fleet_online_over_real_connections()
    {
        _ = server.BaseAddress;
        var demo = server.Services.GetRequiredService<DemoFleet>();
        await Wait.UntilAsync(() => demo.Fleet is not null, "the demo fleet to start", TimeSpan.FromSeconds(30));
        var fleet = demo.Fleet!;
        var connections = server.Services.GetRequiredService<DeviceConnections>();
        await Wait.UntilAsync(() => connections.Count == fleet.Agents.Count, "every demo device to connect", TimeSpan.FromSeconds(30));

        Assert.True(fleet.Agents.Count >= 30, $"{fleet.Agents.Count} live demo devices");
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
        var live = await db.Devices.Where(d => d.ConnectedAt != null).ToListAsync();
        Assert.Equal(fleet.Agents.Count, live.Count);
        Assert.All(live, d => Assert.NotEqual(DeviceStatus.Offline, d.StatusAt(DateTimeOffset.UtcNow)));
        // The rest of the demo keeps its spread: offline, never connected, deactivated.
        var statuses = (await db.Devices.ToListAsync()).Select(d => d.StatusAt(DateTimeOffset.UtcNow)).ToHashSet();
        Assert.Contains(DeviceStatus.Offline, statuses);
        Assert.Contains(DeviceStatus.PostProvisioning, statuses);
        Assert.Contains(DeviceStatus.Inactive, statuses);
    }
}
