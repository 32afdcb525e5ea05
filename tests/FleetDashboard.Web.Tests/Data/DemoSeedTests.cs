using System.Net;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Data;

/// <summary>The Development dashboard with its demo seed, as a newcomer starts it.</summary>
public sealed class DemoFleetServer() : FleetServer(new FleetServerOptions { Seed = FleetSeed.Demo });

/// <summary>The same, with its simulated demo fleet connecting to it, as <c>./run.sh</c> starts it.</summary>
public sealed class LiveDemoServer() : FleetServer(new FleetServerOptions { Seed = FleetSeed.LiveDemo });

/// <summary>The live demo twenty times faster: downloads, host OS installs and boots take a second or so.</summary>
public sealed class FastLiveDemoServer() : FleetServer(new FleetServerOptions
{
    Seed = FleetSeed.LiveDemo, Settings = new Dictionary<string, string?> { ["Fleet:DemoFleet:TimeFactor"] = "20" },
});

public sealed class DemoSeedTests(DemoFleetServer server) : IClassFixture<DemoFleetServer>
{
    private const string Password = "Fleet-demo-2026!";
    private static readonly string[] AcmeApplications = ["kiosk-fleet", "lab-rigs", "old-signage", "sensor-net", "starter-demo"];

    [Fact]
    public async Task Demo_has_sixty_devices_or_more_across_every_type_status_and_version_kind()
    {
        _ = server.BaseAddress;
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
        var devices = await db.Devices.Include(d => d.Tags).ToListAsync();
        var now = DateTimeOffset.UtcNow;

        Assert.True(devices.Count >= 60, $"{devices.Count} devices");
        Assert.Equal(DeviceType.All.Select(t => t.Slug).Order(), devices.Select(d => d.DeviceType).Distinct().Order());
        Assert.Equal(Enum.GetValues<DeviceStatus>().Order(), devices.Select(d => d.StatusAt(now)).Distinct().Order());
        Assert.Contains(devices, d => d.HostOsVersion < FleetVersion.NamedVolumesFrom);
        Assert.Contains(devices, d => d.AgentVersion < FleetVersion.DeviceActionsFrom);
        Assert.Contains(devices, d => d.Tags.Count > 0);
        Assert.Equal(Enum.GetValues<ApplicationType>().Order(), (await db.Applications.Select(a => a.Type).Distinct().ToListAsync()).Order());
        Assert.True(await db.Releases.CountAsync() >= 3);
    }

    [Fact]
    public async Task Every_busy_demo_device_has_work_it_can_finish()
    {
        _ = server.BaseAddress;
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
        var targets = await db.Applications.Join(db.Releases, a => a.TargetReleaseId, r => r.Id, (a, r) => new { a.Id, r.Commit })
            .ToDictionaryAsync(x => x.Id, x => x.Commit);
        var devices = await db.Devices.ToListAsync();
        var applying = devices.Where(d => d.Progress == DeviceProgress.ApplyingRelease).ToList();

        Assert.NotEmpty(applying);
        Assert.All(applying, d => Assert.NotEqual(targets[d.ApplicationId!.Value], d.ReleaseCommit));
        Assert.All(applying, d => Assert.False(d.UpdateLockHeld, $"{d.Name} waits on its own lock"));
        Assert.Contains(devices, d => d.UpdateLockHeld);
        Assert.All(devices.Where(d => d.UpdateLockHeld), d => Assert.Equal(targets[d.ApplicationId!.Value], d.ReleaseCommit));
    }

    [Fact]
    public async Task A_later_start_moves_the_demo_clock_so_the_fleet_shows_the_same_statuses()
    {
        _ = server.BaseAddress;
        var factory = server.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        Dictionary<DeviceStatus, int> Census(List<Device> devices) =>
            devices.GroupBy(d => d.StatusAt(DateTimeOffset.UtcNow)).ToDictionary(g => g.Key, g => g.Count());
        Dictionary<DeviceStatus, int> before;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var devices = await db.Devices.ToListAsync();
            before = Census(devices);
            // Three hours pass without a heartbeat.
            foreach (var device in devices)
            {
                device.LastContactAt -= TimeSpan.FromHours(3);
                device.FirstConnectedAt -= TimeSpan.FromHours(3);
            }
            await db.SaveChangesAsync();
            Assert.NotEqual(before, Census(devices));
        }

        await using (var scope = server.Services.CreateAsyncScope())
            await DemoSeed.SeedDemoAsync(scope.ServiceProvider);

        await using (var db = await factory.CreateDbContextAsync())
            Assert.Equal(before, Census(await db.Devices.ToListAsync()));
    }

    [Theory]
    [InlineData("admin", new[] { "kiosk-fleet", "lab-rigs", "old-signage", "sensor-net", "starter-demo", "gateways", "globex-trial" })]
    [InlineData("developer", null)]
    [InlineData("operator", null)]
    [InlineData("observer", null)]
    [InlineData("support", new[] { "kiosk-fleet" })]
    public async Task Every_demo_user_signs_in_and_sees_the_applications_they_may_see(string person, string[]? expected)
    {
        expected ??= AcmeApplications;
        var email = $"{person}@{DemoSeed.Domain}";
        var user = await server.FindUserAsync(email);
        Assert.NotNull(user);

        var visible = await server.Services.GetRequiredService<FleetQueries>().ApplicationsAsync(FleetStore.SignedIn(user));
        Assert.Equal(expected.Order(), visible.SelectMany(o => o.Applications).Select(a => a.Name).Order());

        using var browser = server.CreateBrowser();
        using var signIn = await browser.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.True(browser.HasAuthCookie);
        var page = await browser.GetPageAsync("applications");
        foreach (var name in expected) Assert.Contains(name, page);
        if (person == "support") Assert.Contains("sensor-01", page);
        foreach (var hidden in AcmeApplications.Concat(["gateways", "globex-trial"]).Except(expected))
            Assert.DoesNotContain(hidden, page);
    }
}
