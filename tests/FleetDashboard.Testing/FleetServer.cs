using System.Net;
using System.Text.Json;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FleetDashboard.Testing;

/// <summary>
/// The real dashboard for a test or a benchmark: real Kestrel on 127.0.0.1 (a free port unless told), over its own
/// SQLite file, seeded as <see cref="FleetServerOptions.Seed"/> says. It starts on first use of <see cref="BaseAddress"/>,
/// <c>Services</c> or anything that needs them; disposing it stops it and deletes its data folder (unless given one).
/// A test class takes one as a fixture: this type as it is (Development, empty), or a small subclass that names its
/// options; elsewhere <see cref="Create"/>.
/// </summary>
public class FleetServer : WebApplicationFactory<Program>
{
    /// <summary>Every demo user's password; set here so that no test depends on the root appsettings file.</summary>
    public const string DemoPassword = "Fleet-demo-2026!";

    private readonly FleetDataFolder _data;
    private Uri? _baseAddress;

    public FleetServer() : this(new FleetServerOptions())
    {
    }

    protected FleetServer(FleetServerOptions options)
    {
        Options = options;
        _data = new FleetDataFolder(options.DataDirectory);
        PointAtTheWebProject();
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
    }

    /// <summary>A server with other options, for code that is not an xUnit fixture (one public constructor only).</summary>
    public static FleetServer Create(FleetServerOptions options) => new(options);

    public FleetServerOptions Options { get; }

    public string EnvironmentName => Options.Environment;

    public string DataDirectory => _data.Path;

    public string DatabasePath => _data.DatabasePath;

    public string ConnectionString => _data.ConnectionString;

    /// <summary>http://127.0.0.1:PORT/ of the running server; starts it on first use.</summary>
    public Uri BaseAddress => _baseAddress ??= StartAndReadAddress();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Options.Environment);
        builder.UseSetting("ConnectionStrings:Fleet", ConnectionString);
        builder.UseSetting(FleetStores.StoreKey, _data.Store);
        builder.UseSetting("Fleet:DataDirectory", DataDirectory);
        builder.UseSetting("Fleet:SeedDemo", Options.Seed.SeedsDemo ? "true" : "false");
        builder.UseSetting("Fleet:DemoFleet:Enabled", Options.Seed.RunsDemoFleet ? "true" : "false");
        if (Options.Seed.SeedsDemo) builder.UseSetting("Fleet:DemoPassword", DemoPassword);
        // Every test signs in from 127.0.0.1, hundreds of times a minute across a run; a test of the throttle sets its own limit.
        builder.UseSetting("Fleet:SignInThrottle:PermitLimit", "100000");
        foreach (var (key, value) in Options.Settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            if (Options.Seed.Setup is { } setup) services.AddHostedService(provider => new GivenSetup(provider, setup));
            Options.Services?.Invoke(services);
        });
    }

    /// <summary>A cookie-keeping HTTP client that does not follow redirects, so tests see each 302.</summary>
    public FleetBrowser CreateBrowser() => new(BaseAddress);

    public async Task<FleetDbContext> DbAsync()
    {
        _ = BaseAddress;
        return await Services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
    }

    public async Task<T> QueryAsync<T>(Func<FleetDbContext, Task<T>> query)
    {
        await using var db = await DbAsync();
        return await query(db);
    }

    /// <summary>Adds a person through Identity, as an administrator would.</summary>
    public async Task<FleetUser> CreateUserAsync(string email, string password, string? displayName = null)
    {
        _ = BaseAddress;
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FleetUser>>();
        var user = new FleetUser(email, displayName) { EmailConfirmed = true };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not add {email}: {string.Join("; ", result.Errors.Select(error => error.Description))}");
        return user;
    }

    public async Task<FleetUser?> FindUserAsync(string email)
    {
        _ = BaseAddress;
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FleetUser>>();
        return await users.FindByEmailAsync(email);
    }

    /// <summary>
    /// Waits until the demo fleet has started and every one of its devices is recorded as connected: from then on a
    /// page that counts statuses sees the live fleet, not the seed's heartbeats.
    /// </summary>
    public async Task WaitForDemoFleetAsync(TimeSpan? limit = null)
    {
        _ = BaseAddress;
        var demo = Services.GetRequiredService<DemoFleet>();
        await Wait.UntilAsync(() => demo.Fleet is not null, "the demo fleet to start", limit);
        var uuids = demo.Fleet!.Agents.Select(a => a.Identity.Uuid).ToList();
        if (uuids.Count == 0) throw new InvalidOperationException("The demo fleet started without a device.");
        await Wait.UntilAsync(async () => await QueryAsync(db =>
                db.Devices.CountAsync(d => uuids.Contains(d.Uuid) && d.ConnectedAt != null)) == uuids.Count,
            $"all {uuids.Count} demo devices to be connected", limit);
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
        if (_baseAddress is not null && Options.Seed.RunsDemoFleet)
            await Services.GetRequiredService<DemoFleet>().StopAsync(CancellationToken.None);
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        _data.Dispose();
    }

    /// <summary>
    /// The factory looks for the web project's folder (its content root) in a manifest in the current directory, which is
    /// the build's output for a test run but not for the bench (run from anywhere). The manifest beside this assembly
    /// says the same wherever the program was started from.
    /// </summary>
    private static void PointAtTheWebProject()
    {
        const string variable = "ASPNETCORE_TEST_CONTENTROOT_FLEETDASHBOARD_WEB";
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        if (Environment.GetEnvironmentVariable(variable) is not null || !File.Exists(manifest)) return;
        var roots = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest));
        if (roots?.GetValueOrDefault(typeof(Program).Assembly.FullName!) is { } root) Environment.SetEnvironmentVariable(variable, root);
    }

    /// <summary>Runs a <see cref="FleetSeed.Given"/> setup as the host starts, after the app has migrated its store.</summary>
    private sealed class GivenSetup(IServiceProvider services, Func<IServiceProvider, Task> setup) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => setup(services);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
