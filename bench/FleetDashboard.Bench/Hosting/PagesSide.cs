using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using FleetDashboard.Bench.Lists;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Bench.Server;

/// <summary>
/// `FleetDashboard.Bench serve --data DIR`: the real server (Development, the demo seed, no demo fleet) on real Kestrel
/// at 127.0.0.1, in a process of its own so that its memory is its own. Beside the product it answers three bench-only
/// requests under /bench: memory after a full GC, setup (a provisioning key, a wall link and extra device rows for the
/// demo's kiosk-fleet), and the number of devices recorded as connected. Prints "READY url" when it listens.
/// </summary>
// Any type of the web assembly names its entry point; `Program` here would be the bench's own.
public sealed class BenchServer : WebApplicationFactory<FleetQueries>
{
    public const string DemoPassword = "Fleet-demo-2026!";
    public const string AdminEmail = "admin@acme.test";
    public const string BenchApplication = "kiosk-fleet";

    /// <summary>Set (to a file) to keep the server's timeline of store commands and render batches there.</summary>
    public const string TimelineVariable = "FLEET_BENCH_TIMELINE";

    private readonly string _data;

    private BenchServer(string data)
    {
        _data = data;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var data = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? throw new ArgumentException("serve needs --data DIR");
        Directory.CreateDirectory(data);
        // The factory would look for the web project beside the solution file; the build's manifest says where it is.
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json")))!;
        var web = typeof(FleetQueries).Assembly;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FLEETDASHBOARD_WEB", manifest[web.FullName!]);
        await using var server = new BenchServer(data);
        server.StartServer();
        var address = server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Console.WriteLine($"READY {address}");
        // Runs until the bench closes our standard input (or ends the process).
        await Console.In.ReadToEndAsync();
        return 0;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Fleet", new SqliteConnectionStringBuilder { DataSource = Path.Combine(_data, "fleet.db") }.ToString());
        builder.UseSetting("Fleet:DataDirectory", _data);
        builder.UseSetting("Fleet:SeedDemo", "true");
        builder.UseSetting("Fleet:DemoPassword", DemoPassword);
        builder.UseSetting("Fleet:DemoFleet:Enabled", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (Environment.GetEnvironmentVariable(TimelineVariable) is not null)
        {
            // A timeline for finding out where latency goes: each store command and each render batch, with times.
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Components.Server.Circuits.RemoteRenderer", "Debug");
            builder.UseSetting("Logging:Console:FormatterName", "simple");
            builder.UseSetting("Logging:Console:FormatterOptions:TimestampFormat", "HH:mm:ss.fff ");
            builder.UseSetting("Logging:Console:FormatterOptions:SingleLine", "true");
        }
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new BenchEndpoints()));
    }

    private sealed class BenchEndpoints : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/bench/memory", b => b.Run(MemoryAsync));
            app.Map("/bench/setup", b => b.Run(SetupAsync));
            app.Map("/bench/connected", b => b.Run(ConnectedAsync));
            app.Map("/bench/relay", b =>
            {
                b.UseWebSockets();
                b.Map("/page", p => p.Run(RelayPageAsync));
                b.Map("/listen", p => p.Run(ListenAsync));
                b.Map("/send", p => p.Run(SendAsync));
            });
            next(app);
        };

        /// <summary>Live managed bytes after a full, compacting, blocking GC; and the process's working set.</summary>
        private static Task MemoryAsync(HttpContext context)
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();
            return context.Response.WriteAsJsonAsync(new MemoryReading(heap, process.WorkingSet64, process.PrivateMemorySize64));
        }

        private static async Task SetupAsync(HttpContext context)
        {
            var services = context.RequestServices;
            var devices = int.TryParse(context.Request.Query["devices"], out var n) ? n : 0;
            var dbs = services.GetRequiredService<IDbContextFactory<FleetDbContext>>();
            await using var db = await dbs.CreateDbContextAsync();
            var admin = await db.Users.SingleAsync(u => u.NormalizedEmail == AdminEmail.ToUpperInvariant());
            var application = await db.Applications.SingleAsync(a => a.Name == BenchApplication);
            var user = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, admin.Id), new Claim(ClaimTypes.Name, AdminEmail)], "bench"));
            var actions = services.GetRequiredService<ActionService>();
            var (_, key) = await actions.CreateProvisioningKeyAsync(user, application.Id, "bench");
            var (_, wall) = await actions.CreateWallDisplayLinkAsync(user, application.Id, null);
            if (devices > 0)
            {
                var template = await db.Devices.Where(d => d.ApplicationId == application.Id).OrderBy(d => d.Id).Select(d => d.Id).FirstAsync();
                await using var connection = new SqliteConnection(db.Database.GetConnectionString());
                await connection.OpenAsync();
                await DeviceRows.CopyAsync(connection, template, devices, DateTimeOffset.UtcNow, "seeded", keepTemplate: true, CancellationToken.None);
                if (context.Request.Query["connectable"] == "1") await MakeConnectableAsync(connection, application.Id, devices);
            }
            await context.Response.WriteAsJsonAsync(new SetupReply(application.Id, key!, wall!));
        }

        /// <summary>
        /// The newest <paramref name="count"/> devices, offline and active, each with the credential a `devices`
        /// process signs in with: a fleet that comes online in seconds, where registering each device through the
        /// API is one commit each.
        /// </summary>
        private static async Task MakeConnectableAsync(SqliteConnection connection, int applicationId, int count)
        {
            await using var transaction = connection.BeginTransaction();
            var ids = new List<long>();
            await using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = $"SELECT Id FROM Devices WHERE ApplicationId = {applicationId} ORDER BY Id DESC LIMIT {count}";
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
            }
            ids.Reverse();
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE Devices SET CredentialHash = $hash, ConnectedAt = NULL, DisconnectedAt = NULL, " +
                                 "HeartbeatExpiresAt = NULL, DeactivatedAt = NULL, Progress = 'Idle' WHERE Id = $id";
            var hash = update.Parameters.Add("$hash", SqliteType.Text);
            var id = update.Parameters.Add("$id", SqliteType.Integer);
            for (var i = 0; i < ids.Count; i++)
            {
                hash.Value = FleetDashboard.Core.Access.Secret.Hash(Devices.BenchServer.Credential(i));
                id.Value = ids[i];
                await update.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }

        // The bare path for B5's ceiling: a message from the bench through this server to a page that writes it into its DOM.
        private static readonly ConcurrentDictionary<WebSocket, bool> Listeners = new();

        private static Task RelayPageAsync(HttpContext context)
        {
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("""
                <!DOCTYPE html><html><body><span id="relay"></span><script>
                const relay = document.getElementById('relay');
                const ws = new WebSocket(location.origin.replace('http', 'ws') + '/bench/relay/listen');
                ws.onopen = () => relay.setAttribute('data-open', '');
                ws.onmessage = e => { relay.textContent = e.data; };
                </script></body></html>
                """);
        }

        private static async Task ListenAsync(HttpContext context)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            Listeners[socket] = true;
            var buffer = new byte[256];
            try
            {
                while (socket.State == WebSocketState.Open && !(await socket.ReceiveAsync(buffer, context.RequestAborted)).CloseStatus.HasValue) { }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            finally { Listeners.TryRemove(socket, out _); }
        }

        private static async Task SendAsync(HttpContext context)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (received.CloseStatus.HasValue) break;
                    foreach (var listener in Listeners.Keys)
                        await listener.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, true, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }

        private static async Task ConnectedAsync(HttpContext context)
        {
            await using var db = await context.RequestServices.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
            await context.Response.WriteAsJsonAsync(await db.Devices.CountAsync(d => d.ConnectedAt != null));
        }
    }
}

public sealed record MemoryReading(long ManagedBytes, long WorkingSetBytes, long PrivateBytes);

public sealed record SetupReply(int ApplicationId, string ProvisioningKey, string WallToken);
