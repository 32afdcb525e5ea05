using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using FleetDashboard.EndToEnd.Infrastructure;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Hosting;
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
    private readonly FleetDataFolder _data = new();
    private readonly int _port = FreePort();
    private FleetServer? _server;
    private IBrowserContext? _context;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_wall_comes_back_by_itself_after_the_server_restarts()
    {
        _server = NewServer();
        var token = await CreateLinkAsync(_server);
        _context = await browser.Browser.NewContextAsync(new() { BaseURL = _server.BaseAddress.ToString(), ViewportSize = Screenshots.Desktop });
        var csp = await CspWatch.AttachAsync(_context);
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
        _server = NewServer();
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
        // The wall's reconnect script ran its whole course under the Content-Security-Policy.
        Assert.Empty(csp.Violations);
    }

    private static async Task<string> CreateLinkAsync(FleetServer server)
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
        _data.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The demo on a fixed port over a store that outlives it, without the demo fleet (not needed here).</summary>
    private FleetServer NewServer() => FleetServer.Create(new FleetServerOptions
    {
        Seed = FleetSeed.Demo,
        Port = _port,
        DataDirectory = _data.Path,
        // A stop does not wait the default 30 s for the wall's open circuit: it is cut, as in any restart.
        Settings = new Dictionary<string, string?> { [WebHostDefaults.ShutdownTimeoutKey] = "2" },
    });
}
