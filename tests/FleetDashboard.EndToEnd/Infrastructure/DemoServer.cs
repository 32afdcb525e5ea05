using System.Net;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>
/// The dashboard as a newcomer runs it: Development, the demo seed and the live demo fleet (simulated devices
/// connecting over real SignalR), on real Kestrel at 127.0.0.1 on a free port, over its own temporary SQLite file.
/// One per test class: the demo users' sign-in state (failed attempts, lockouts) stays within the class.
/// </summary>
public sealed class DemoServer : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Fleet-demo-2026!";

    private Uri? _baseAddress;

    public DemoServer()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "fleet-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public string DataDirectory { get; }

    /// <summary>http://127.0.0.1:PORT/ of the running server; starts it on first use.</summary>
    public Uri BaseAddress => _baseAddress ??= StartAndReadAddress();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Fleet",
            new SqliteConnectionStringBuilder { DataSource = Path.Combine(DataDirectory, "fleet-e2e.db") }.ToString());
        builder.UseSetting("Fleet:DataDirectory", DataDirectory);
        builder.UseSetting("Fleet:SeedDemo", "true");
        builder.UseSetting("Fleet:DemoPassword", DemoPassword);
        builder.UseSetting("Fleet:DemoFleet:Enabled", "true");
    }

    /// <summary>
    /// Waits until the demo fleet has started and every one of its devices is recorded as connected: from then on
    /// a page that counts statuses sees the live fleet, not the seed's heartbeats.
    /// </summary>
    public async Task WaitForDemoFleetAsync(TimeSpan limit)
    {
        _ = BaseAddress;
        var demo = Services.GetRequiredService<DemoFleet>();
        await Wait.UntilAsync(() => Task.FromResult(demo.Fleet is not null), "the demo fleet to start", limit);
        var uuids = demo.Fleet!.Agents.Select(a => a.Identity.Uuid).ToList();
        Assert.NotEmpty(uuids);
        var dbs = Services.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        await Wait.UntilAsync(async () =>
        {
            await using var db = await dbs.CreateDbContextAsync();
            return await db.Devices.CountAsync(d => uuids.Contains(d.Uuid) && d.ConnectedAt != null) == uuids.Count;
        }, $"all {uuids.Count} demo devices to be connected", limit);
    }

    public async Task<T> QueryAsync<T>(Func<FleetDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    private Uri StartAndReadAddress()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.Single().TrimEnd('/') + "/");
    }

    public override async ValueTask DisposeAsync()
    {
        // The demo's agents first: stopped by the host itself they go after Kestrel has begun waiting for their open
        // hub connections to close, and the stop takes the host's whole 30 s shutdown timeout (about 1 s this way).
        if (_baseAddress is not null) await Services.GetRequiredService<DemoFleet>().StopAsync(CancellationToken.None);
        await base.DisposeAsync();
        // Pooled connections keep the file open.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a run.
        }
    }
}
