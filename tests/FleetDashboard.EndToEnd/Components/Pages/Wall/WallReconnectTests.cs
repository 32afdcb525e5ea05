using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using FleetDashboard.EndToEnd.Infrastructure;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Pages.Wall;

/// <summary>A wall screen through a real restart of the server: the same port, the same store, a new process state.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WallReconnectTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "fleet-e2e", Guid.NewGuid().ToString("N"));
    private readonly int _port = FreePort();
    private RestartableServer? _server;
    private IBrowserContext? _context;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_wall_comes_back_by_itself_after_the_server_restarts()
    {
        _server = new RestartableServer(_data, _port);
        var token = await CreateLinkAsync(_server);
        _context = await browser.Browser.NewContextAsync(new() { BaseURL = _server.BaseAddress.ToString(), ViewportSize = Screenshots.Desktop });
        var wall = await _context.NewPageAsync();
        await wall.GotoAsync($"wall/{token}");
        await wall.WaitForCircuitAsync();
        await Expect(wall.Locator("#wall-application")).ToHaveTextAsync("kiosk-fleet");
        // Gone after a reload: tells a page that came back on its own from one that never went away.
        await wall.EvaluateAsync("() => window.wallBeforeRestart = true");

        await _server.DisposeAsync();
        _server = null;
        var banner = wall.Locator("#components-reconnect-modal");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(wall.Locator("html")).ToHaveAttributeAsync("data-wall-stale", "");
        await Screenshots.TakeAsync(wall, "wall-screen", "server-away");

        var away = System.Diagnostics.Stopwatch.StartNew();
        _server = new RestartableServer(_data, _port);
        _ = _server.BaseAddress;
        var started = away.Elapsed;

        // Nobody touches the page: it finds the server again, sees its circuit is gone, and reloads itself.
        await wall.WaitForFunctionAsync("() => window.wallBeforeRestart === undefined && document.getElementById('wall-application')",
            null, new() { Timeout = 60_000 });
        await wall.WaitForCircuitAsync();
        output.WriteLine($"Server started again in {started.TotalSeconds:0.0} s; the wall was live again {away.Elapsed.TotalSeconds:0.0} s after the restart began.");
        await Expect(wall.Locator("#wall-application")).ToHaveTextAsync("kiosk-fleet");
        await Expect(banner).ToBeHiddenAsync();
        await Expect(wall.Locator("html")).Not.ToHaveAttributeAsync("data-wall-stale", "");
    }

    private static async Task<string> CreateLinkAsync(RestartableServer server)
    {
        _ = server.BaseAddress;
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
        var admin = await db.Users.Where(u => u.Email == "admin@acme.test").Select(u => u.Id).SingleAsync();
        var kiosk = await db.Applications.Where(a => a.Name == "kiosk-fleet").Select(a => a.Id).SingleAsync();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, admin)], "test"));
        var (run, token) = await server.Services.GetRequiredService<ActionService>().IssueAsync(user, ActionRequest.On(kiosk, new CreateWallDisplayLink(null)));
        Assert.Null(run.Refusal);
        return token!;
    }

    public async Task DisposeAsync()
    {
        if (_context is not null) await _context.CloseAsync();
        if (_server is not null) await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a run.
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The demo server on a fixed port over a store that outlives it, without the demo fleet (not needed here).</summary>
    private sealed class RestartableServer : WebApplicationFactory<Program>
    {
        private readonly string _data;
        private Uri? _address;

        public RestartableServer(string data, int port)
        {
            _data = data;
            Directory.CreateDirectory(data);
            UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            BaseUri = new Uri($"http://127.0.0.1:{port}/");
        }

        private Uri BaseUri { get; }

        public Uri BaseAddress => _address ??= Start();

        private Uri Start()
        {
            StartServer();
            return BaseUri;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // A stop does not wait the default 30 s for the wall's open circuit: it is cut, as in any restart.
            builder.UseShutdownTimeout(TimeSpan.FromSeconds(2));
            builder.UseSetting("ConnectionStrings:Fleet", new SqliteConnectionStringBuilder { DataSource = Path.Combine(_data, "fleet.db") }.ToString());
            builder.UseSetting("Fleet:DataDirectory", _data);
            builder.UseSetting("Fleet:DemoPassword", DemoServer.DemoPassword);
            builder.UseSetting("Fleet:DemoFleet:Enabled", "false");
        }
    }
}
