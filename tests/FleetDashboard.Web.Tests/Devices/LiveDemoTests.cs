using FleetDashboard.Agent.Simulation;
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
        var factory = server.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        var uuids = fleet.Agents.Select(a => a.Identity.Uuid).ToList();
        async Task<List<Device>> LiveAsync()
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db.Devices.Where(d => uuids.Contains(d.Uuid) && d.ConnectedAt != null).ToListAsync();
        }
        await Wait.UntilAsync(async () => (await LiveAsync()).Count == uuids.Count, "every demo device to be connected", TimeSpan.FromSeconds(30));

        Assert.True(fleet.Agents.Count >= 30, $"{fleet.Agents.Count} live demo devices");
        var live = await LiveAsync();
        await using var db = await factory.CreateDbContextAsync();
        Assert.All(live, d => Assert.NotEqual(DeviceStatus.Offline, d.StatusAt(DateTimeOffset.UtcNow)));
        // The rest of the demo keeps its spread: offline, never connected, deactivated.
        var statuses = (await db.Devices.ToListAsync()).Select(d => d.StatusAt(DateTimeOffset.UtcNow)).ToHashSet();
        Assert.Contains(DeviceStatus.Offline, statuses);
        Assert.Contains(DeviceStatus.PostProvisioning, statuses);
        Assert.Contains(DeviceStatus.Inactive, statuses);
    }

    [Fact]
    public async Task Every_demo_device_that_starts_out_updating_finishes()
    {
        // The seed leaves some online devices applying a release and some holding their update lock
        // (DemoSeedTests checks that none waits on its own lock); run fast, every live device settles Online on
        // its application's release.
        await using var fast = new FastLiveDemoServer();
        _ = fast.BaseAddress;
        var demo = fast.Services.GetRequiredService<DemoFleet>();
        await Wait.UntilAsync(() => demo.Fleet is not null, "the demo fleet to start", TimeSpan.FromSeconds(30));
        var uuids = demo.Fleet!.Agents.Select(a => a.Identity.Uuid).ToList();
        var factory = fast.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        var unfinished = "";
        async Task<bool> AllSettledAsync()
        {
            await using var db = await factory.CreateDbContextAsync();
            var targets = await db.Applications.Join(db.Releases, a => a.TargetReleaseId, r => r.Id, (a, r) => new { a.Id, r.Commit })
                .ToDictionaryAsync(x => x.Id, x => x.Commit);
            var now = DateTimeOffset.UtcNow;
            var stuck = (await db.Devices.Where(d => uuids.Contains(d.Uuid)).ToListAsync())
                .Where(d => d.ConnectedAt is null || d.StatusAt(now) != DeviceStatus.Online
                            || d.TargetHostOsVersion is not null || d.ReleaseCommit != targets[d.ApplicationId!.Value])
                .Select(d => $"{d.Name} {d.StatusAt(now)} {d.Progress} host OS {d.HostOsVersion} → {d.TargetHostOsVersion?.ToString() ?? "-"}"
                             + $" release {d.ReleaseCommit} (target {targets[d.ApplicationId!.Value]}) connected {d.ConnectedAt is not null}"
                             + $" agent {demo.Fleet.Agents.First(a => a.Identity.Uuid == d.Uuid)}")
                .ToList();
            unfinished = string.Join(", ", stuck);
            return stuck.Count == 0;
        }

        try
        {
            await Wait.UntilAsync(AllSettledAsync, "every demo device to finish its update", TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Still not done after 120 s: {unfinished}");
        }
    }

    [Fact]
    public async Task The_simulator_joins_the_demo_with_the_README_s_provisioning_key()
    {
        await using var simulated = await SimulatedFleet.StartAsync(server.BaseAddress, "demo-kiosk-fleet-key", 3, new SimulationOptions { TimeFactor = 20 });
        foreach (var agent in simulated.Agents) await Wait.UntilAsync(agent.WhenConnectedAsync(), "each simulated device to connect", TimeSpan.FromSeconds(15));

        await using var db = await server.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
        var uuids = simulated.Agents.Select(a => a.Identity.Uuid).ToList();
        var joined = await db.Devices.Where(d => uuids.Contains(d.Uuid)).ToListAsync();
        var kiosk = await db.Applications.SingleAsync(a => a.Name == "kiosk-fleet");
        Assert.Equal(3, joined.Count);
        Assert.All(joined, d => Assert.Equal(kiosk.Id, d.ApplicationId));
    }
}
