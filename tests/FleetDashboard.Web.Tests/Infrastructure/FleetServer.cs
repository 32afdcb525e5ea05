using System.Net;
using FleetDashboard.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Infrastructure;

/// <summary>
/// The real dashboard on a real Kestrel port (127.0.0.1, port 0) over its own temporary SQLite file.
/// Development by default, without the demo seed; derive (see <see cref="ProductionFleetServer"/>) or use
/// the protected constructor for another environment. The server starts on first use of
/// <see cref="BaseAddress"/>, <see cref="CreateBrowser"/> or <c>Services</c>.
/// </summary>
public class FleetServer : WebApplicationFactory<Program>
{
    private readonly string _environment;
    private readonly bool _seedDemo;
    private readonly Dictionary<string, string?> _settings;
    private Uri? _baseAddress;

    public FleetServer() : this("Development")
    {
    }

    protected FleetServer(string environment, bool seedDemo = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _environment = environment;
        _seedDemo = seedDemo;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        DataDirectory = Path.Combine(Path.GetTempPath(), "fleet-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public string EnvironmentName => _environment;

    /// <summary>A fresh folder per server: the SQLite file and anything else the app keeps on disk.</summary>
    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "fleet-test.db");

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = DatabasePath }.ToString();

    /// <summary>http://127.0.0.1:PORT/ of the running server.</summary>
    public Uri BaseAddress => _baseAddress ??= StartAndReadAddress();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("ConnectionStrings:Fleet", ConnectionString);
        builder.UseSetting("Fleet:DataDirectory", DataDirectory);
        builder.UseSetting("Fleet:SeedDemo", _seedDemo ? "true" : "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A cookie-keeping HTTP client that does not follow redirects, so tests see each 302.</summary>
    public FleetBrowser CreateBrowser() => new(BaseAddress);

    /// <summary>Adds a person through Identity, as an administrator would.</summary>
    public async Task<FleetUser> CreateUserAsync(string email, string password, string? displayName = null)
    {
        _ = BaseAddress;
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FleetUser>>();
        var user = new FleetUser(email, displayName) { EmailConfirmed = true };
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(error => error.Description)));
        return user;
    }

    public async Task<FleetUser?> FindUserAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FleetUser>>();
        return await users.FindByEmailAsync(email);
    }

    private Uri StartAndReadAddress()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.Single().TrimEnd('/') + "/");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        // Pooled connections keep the file open.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test run.
        }
    }
}

/// <summary>The dashboard as deployed: Production, nothing seeded.</summary>
public sealed class ProductionFleetServer() : FleetServer("Production");
