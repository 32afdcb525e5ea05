using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using FleetDashboard.Bench.Lists;
using FleetDashboard.Core.Access;
using FleetDashboard.Testing;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Bench.Hosting;

/// <summary>
/// `serve-pages --data DIR`: the dashboard with the demo seed (no demo fleet) on a free port, for the page benchmarks.
/// count: devices recorded as connected; setup N [connectable]: a provisioning key, a wall link and N extra device rows
/// for the demo's kiosk-fleet (<see cref="SetupReply"/> as JSON); circuits: the circuits open now. Beside the product it serves the bare relay of B5's
/// ceiling under /bench/relay.
/// </summary>
public sealed class PagesSide(FleetServer server) : BenchServer.ISide
{
    public const string BenchApplication = "kiosk-fleet";

    /// <summary><paramref name="seedDemo"/> false: a second node over a store the first one seeded.</summary>
    public static PagesSide Start(string data, bool seedDemo, Dictionary<string, string?> settings)
    {
        if (Environment.GetEnvironmentVariable(BenchServer.TimelineVariable) is not null)
        {
            // A timeline for finding out where latency goes: each store command and each render batch, with times.
            settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
            settings["Logging:LogLevel:Microsoft.AspNetCore.Components.Server.Circuits.RemoteRenderer"] = "Debug";
            settings["Logging:Console:FormatterName"] = "simple";
            settings["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ";
            settings["Logging:Console:FormatterOptions:SingleLine"] = "true";
        }
        var server = BenchServer.Dashboard(data, port: 0, seedDemo ? FleetSeed.Demo : FleetSeed.Empty, settings,
            services =>
            {
                services.AddSingleton<IStartupFilter>(new RelayEndpoints());
                services.AddSingleton<CircuitHandler>(Circuits);
                // A closed tab's circuit is let go within a second rather than kept 3 minutes for a reconnection that
                // never comes, so that B7 can close its pages and measure the next ones from the same start.
                services.Configure<CircuitOptions>(o =>
                {
                    o.DisconnectedCircuitMaxRetained = 0;
                    o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(1);
                });
            });
        _ = server.BaseAddress;
        return new PagesSide(server);
    }

    public Uri Address => server.BaseAddress;

    public async Task<string?> AnswerAsync(string[] command) => command switch
    {
        ["circuits"] => Circuits.Open.ToString(CultureInfo.InvariantCulture),
        ["count"] => (await server.QueryAsync(db => db.Devices.CountAsync(d => d.ConnectedAt != null))).ToString(),
        ["setup", var devices, var connectable] => JsonSerializer.Serialize(await ArrangeAsync(int.Parse(devices), connectable == "connectable")),
        _ => null,
    };

    /// <summary>
    /// This side in a process of its own (`serve-pages`); with <see cref="BenchServer.TimelineVariable"/> set, what the
    /// server logs goes to that file.
    /// </summary>
    public static Task<BenchProcess> StartProcessAsync(string data, CancellationToken ct) =>
        StartProcessAsync("pages server", data, [], ct);

    /// <summary>A `serve-pages` process with more arguments: `--no-seed`, `--set key=value` (one of several nodes).</summary>
    public static Task<BenchProcess> StartProcessAsync(string name, string data, IEnumerable<string> more, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null) =>
        BenchProcess.StartAsync(name, ["serve-pages", "--data", data, .. more], TimeSpan.FromMinutes(2), ct, environment,
            outputFile: Environment.GetEnvironmentVariable(BenchServer.TimelineVariable));

    /// <summary>What the bench asks of a `serve-pages` process: the setup, as <see cref="AnswerAsync"/> gives it.</summary>
    public static async Task<SetupReply> SetupAsync(BenchProcess pages, int extraDevices, CancellationToken ct, bool connectable = false) =>
        JsonSerializer.Deserialize<SetupReply>(await pages.AskAsync($"setup {extraDevices} {(connectable ? "connectable" : "plain")}",
            TimeSpan.FromMinutes(2), ct)) ?? throw new InvalidOperationException("The pages server gave no setup.");

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task<SetupReply> ArrangeAsync(int devices, bool connectable)
    {
        var services = server.Services;
        await using var db = await server.DbAsync();
        var admin = await db.Users.SingleAsync(u => u.NormalizedEmail == BenchServer.AdminEmail.ToUpperInvariant());
        var application = await db.Applications.SingleAsync(a => a.Name == BenchApplication);
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, admin.Id), new Claim(ClaimTypes.Name, BenchServer.AdminEmail)], "bench"));
        var actions = services.GetRequiredService<ActionService>();
        var (_, key) = await actions.IssueAsync(user, ActionRequest.On(application.Id, new CreateProvisioningKey("bench")));
        var (_, wall) = await actions.IssueAsync(user, ActionRequest.On(application.Id, new CreateWallDisplayLink(null)));
        if (devices > 0)
        {
            var template = await db.Devices.Where(d => d.ApplicationId == application.Id).OrderBy(d => d.Id).Select(d => d.Id).FirstAsync();
            await using var connection = new SqliteConnection(db.Database.GetConnectionString());
            await connection.OpenAsync();
            await DeviceRows.CopyAsync(connection, template, devices, DateTimeOffset.UtcNow, "seeded", keepTemplate: true, CancellationToken.None);
            if (connectable) await MakeConnectableAsync(connection, application.Id, devices);
        }
        return new SetupReply(application.Id, key!, wall!);
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
            hash.Value = Secret.Hash(BenchServer.Credential(i));
            id.Value = ids[i];
            await update.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static readonly CircuitCount Circuits = new();

    /// <summary>How many circuits the server holds: B7 waits for the pages it closed to be let go before its next reading.</summary>
    private sealed class CircuitCount : CircuitHandler
    {
        private int _open;

        public int Open => Volatile.Read(ref _open);

        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _open);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref _open);
            return Task.CompletedTask;
        }
    }

    /// <summary>The bare path for B5's ceiling: a message from the bench through this server to a page that writes it into its DOM.</summary>
    private sealed class RelayEndpoints : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/bench/relay", b =>
            {
                b.UseWebSockets();
                b.Map("/page", p => p.Run(RelayPageAsync));
                b.Map("/listen", p => p.Run(ListenAsync));
                b.Map("/send", p => p.Run(SendAsync));
            });
            next(app);
        };

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
    }
}

public sealed record SetupReply(int ApplicationId, string ProvisioningKey, string WallToken);
