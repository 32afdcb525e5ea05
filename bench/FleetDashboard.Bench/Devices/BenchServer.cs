using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Bench.Devices;

/// <summary>
/// `serve --mode real|echo --port P --data DIR --devices N`: a server in a process of its own, so that its
/// memory and CPU time are its alone and it can be killed and started again on the same port and file.
/// real: the dashboard over SQLite in DIR, seeded once with N devices whose
/// credentials are <see cref="Credential"/>. echo: a bare Kestrel + SignalR hub at the same path, the ceiling.
/// Commands on stdin: count, mem, reboot, quit.
/// </summary>
public static class BenchServer
{
    public const string ApplicationName = "bench";

    public static string Credential(int device) => $"bench-device-credential-{device:D6}";

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var mode = Arg("--mode");
        var port = int.Parse(Arg("--port"));
        var devices = int.Parse(Arg("--devices"));
        ISide side = mode == "real" ? await RealSide.StartAsync(port, Arg("--data"), devices) : await EchoSide.StartAsync(port);
        ChildProcess.Say("ready");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var command = line.Trim();
            if (command == "quit") break;
            try
            {
                ChildProcess.Say(command switch
                {
                    "count" => (await side.ConnectedAsync()).ToString(),
                    "mem" => Memory(),
                    "reboot" => await side.RebootAsync(devices),
                    _ => $"unknown {command}",
                });
            }
            catch (Exception e)
            {
                ChildProcess.Say($"error {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        await side.DisposeAsync();
        return 0;
    }

    /// <summary>After full blocking compacting collections: working set, GC heap in use, private bytes.</summary>
    private static string Memory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var self = Process.GetCurrentProcess();
        return $"{self.WorkingSet64} {GC.GetTotalMemory(false)} {self.PrivateMemorySize64}";
    }

    private interface ISide : IAsyncDisposable
    {
        Task<int> ConnectedAsync();

        /// <summary>"confirm-ticks all-recorded-ms outcomes succeeded": reboot every connected device at once.</summary>
        Task<string> RebootAsync(int devices);
    }

    private sealed class RealSide(Factory factory, int applicationId, ClaimsPrincipal operatorUser) : ISide
    {
        public static async Task<RealSide> StartAsync(int port, string data, int devices)
        {
            var factory = new Factory(port, data);
            factory.StartServer();
            var (applicationId, user) = await SeedAsync(factory.Services, devices);
            return new RealSide(factory, applicationId, user);
        }

        private IDbContextFactory<FleetDbContext> Dbs => factory.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>();

        public async Task<int> ConnectedAsync()
        {
            await using var db = await Dbs.CreateDbContextAsync();
            return await db.Devices.CountAsync(d => d.ApplicationId == applicationId && d.ConnectedAt != null);
        }

        public async Task<string> RebootAsync(int devices)
        {
            List<int> ids;
            await using (var db = await Dbs.CreateDbContextAsync())
                ids = await db.Devices.Where(d => d.ApplicationId == applicationId).Select(d => d.Id).ToListAsync();
            var actions = factory.Services.GetRequiredService<ActionService>();
            var confirm = DateTime.UtcNow.Ticks;
            var clock = Stopwatch.StartNew();
            var run = await actions.RunAsync(operatorUser, DeviceTargets.Group(applicationId, ids), new RebootDevice());
            if (run.Refusal is not null) return $"error refused: {run.Refusal}";
            var deadline = TimeSpan.FromSeconds(60);
            while (true)
            {
                await using var db = await Dbs.CreateDbContextAsync();
                var outcomes = await db.ActionOutcomes.Where(o => o.ActionRunId == run.Id).GroupBy(o => o.Kind)
                    .Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
                var all = outcomes.Sum(o => o.Count);
                if (all >= ids.Count || clock.Elapsed > deadline)
                    return $"{confirm} {clock.Elapsed.TotalMilliseconds:F0} {all} {outcomes.Where(o => o.Key == OutcomeKind.Succeeded).Sum(o => o.Count)}";
                await Task.Delay(20);
            }
        }

        public ValueTask DisposeAsync() => factory.DisposeAsync();

        private static async Task<(int, ClaimsPrincipal)> SeedAsync(IServiceProvider services, int devices)
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
            var application = await db.Applications.SingleOrDefaultAsync(a => a.Name == ApplicationName);
            FleetUser user;
            if (application is null)
            {
                user = new FleetUser("bench@bench.test", null) { NormalizedEmail = "BENCH@BENCH.TEST", EmailConfirmed = true };
                db.Users.Add(user);
                var organization = new Organization { Name = "bench org", Plan = OrganizationPlan.Paid, BillingAccountValid = true };
                db.Organizations.Add(organization);
                await db.SaveChangesAsync();
                application = new Application
                {
                    OrganizationId = organization.Id, Name = ApplicationName, Type = ApplicationType.Microservices, DefaultDeviceType = "raspberrypi4-64",
                };
                db.Applications.Add(application);
                await db.SaveChangesAsync();
                db.ApplicationMembers.Add(new ApplicationMember { ApplicationId = application.Id, UserId = user.Id, Role = ApplicationRole.Operator });
                var now = DateTimeOffset.UtcNow;
                for (var i = 0; i < devices; i++)
                {
                    db.Devices.Add(new Device
                    {
                        Uuid = Device.NewUuid(), Name = $"bench-{i:D6}", DeviceType = "raspberrypi4-64", ApplicationId = application.Id,
                        HostOsVersion = FleetVersion.Parse("2.13.1"), AgentVersion = FleetVersion.Parse("1.4.2"), ProvisionedAt = now,
                        CredentialHash = Secret.Hash(Credential(i)),
                    });
                }
                await db.SaveChangesAsync();
            }
            else
            {
                user = await db.Users.SingleAsync(u => u.NormalizedEmail == "BENCH@BENCH.TEST");
            }
            var principal = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Email!)], "bench"));
            return (application.Id, principal);
        }
    }

    /// <summary>
    /// The dashboard as the tests host it, on a fixed loopback port (so a restart finds it again). Any type of the
    /// web assembly names its entry point; its own Program would clash with this program's.
    /// </summary>
    private sealed class Factory : WebApplicationFactory<FleetDbContext>
    {
        private readonly string _data;

        public Factory(int port, string data)
        {
            _data = data;
            // The web project's folder, found from this program's: what the tests' content-root attribute says for them.
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !Directory.Exists(Path.Combine(folder.FullName, "src", "FleetDashboard.Web"))) folder = folder.Parent;
            if (folder is not null)
                Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FLEETDASHBOARD_WEB", Path.Combine(folder.FullName, "src", "FleetDashboard.Web"));
            UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Fleet", new SqliteConnectionStringBuilder { DataSource = Path.Combine(_data, "fleet-bench.db") }.ToString());
            builder.UseSetting("Fleet:DataDirectory", _data);
            builder.UseSetting("Fleet:SeedDemo", "false");
            builder.UseSetting("Fleet:DemoFleet:Enabled", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning");
        }
    }

    private sealed class EchoSide(WebApplication app) : ISide
    {
        public static async Task<EchoSide> StartAsync(int port)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = DeviceProtocol.MaxMessageBytes);
            var app = builder.Build();
            app.MapHub<EchoHub>(DeviceProtocol.HubPath);
            await app.StartAsync();
            return new EchoSide(app);
        }

        public Task<int> ConnectedAsync() => Task.FromResult(EchoHub.Connections.Count);

        public async Task<string> RebootAsync(int devices)
        {
            var hub = app.Services.GetRequiredService<IHubContext<EchoHub>>();
            var command = new ActionCommand(DeviceProtocol.Version, 1, DeviceCommand.Reboot, false);
            var confirm = DateTime.UtcNow.Ticks;
            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(EchoHub.Connections.Keys.Select(id =>
                hub.Clients.Client(id).InvokeAsync<ActionResult?>(DeviceProtocol.RunAction, command, CancellationToken.None)));
            return $"{confirm} {clock.Elapsed.TotalMilliseconds:F0} {answers.Length} {answers.Count(a => a?.Kind == ActionResultKind.Succeeded)}";
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }

    /// <summary>Takes what a device sends and keeps nothing but a count: SignalR's own cost.</summary>
    private sealed class EchoHub : Hub
    {
        public static readonly ConcurrentDictionary<string, byte> Connections = new();
        private static long _messages;

        public override Task OnConnectedAsync()
        {
            Connections[Context.ConnectionId] = 0;
            return Task.CompletedTask;
        }

        public override Task OnDisconnectedAsync(Exception? exception)
        {
            Connections.TryRemove(Context.ConnectionId, out _);
            return Task.CompletedTask;
        }

        public void Heartbeat() => Interlocked.Increment(ref _messages);

        public void Report(DeviceReport report) => Interlocked.Increment(ref _messages);
    }
}
