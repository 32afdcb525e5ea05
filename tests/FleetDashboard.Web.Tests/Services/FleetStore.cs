using FleetDashboard.Web.Actions;
using System.Security.Claims;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Hosting;
using FleetDashboard.Web.People;
using FleetDashboard.Web.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>A clock that moves only when a test says so.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The services over a real, migrated store of their own (a SQLite file, or a PostgreSQL database with
/// <c>FLEET_TEST_STORE=Postgres</c>), with builders for the fleet a test needs.
/// </summary>
public sealed class FleetStore : IAsyncLifetime
{
    private readonly FleetDataFolder _folder = new();
    private ServiceProvider _services = null!;

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    public string DatabasePath => _folder.DatabasePath;
    public FleetDataFolder Folder => _folder;
    public ActionService Actions => _services.GetRequiredService<ActionService>();
    public FleetQueries Queries => _services.GetRequiredService<FleetQueries>();
    public InvitationService Invitations => _services.GetRequiredService<InvitationService>();

    /// <summary>Configuration the services read (<c>Fleet:Smtp</c> for the invitation mail); empty unless a test says otherwise.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
    public IServiceProvider Services => _services;

    /// <summary>How immediate actions reach devices; none can connect unless a test says otherwise.</summary>
    public IDeviceDelivery Delivery { get; init; } = new NoDeviceConnections();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddFleetDbContexts(_ => (_folder.IsPostgres, _folder.ConnectionString));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Delivery);
        services.AddSingleton<DeviceFeed>();
        services.AddFleetActions();
        services.AddSingleton<FleetQueries>();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build());
        services.AddSingleton(new PublicBaseAddress(null));
        services.AddSingleton<InvitationMail>();
        services.AddSingleton<InvitationService>();
        _services = services.BuildServiceProvider();
        await DatabaseStartup.MigrateAsync(_services);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _folder.Dispose();
    }

    public IDbContextFactory<FleetDbContext> Factory => _services.GetRequiredService<IDbContextFactory<FleetDbContext>>();

    public FleetDbContext Db() => Factory.CreateDbContext();

    public static ClaimsPrincipal SignedIn(FleetUser user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Email!)], "test"));

    public async Task<FleetUser> UserAsync(string name, bool support = false)
    {
        var user = new FleetUser($"{name}@example.test") { IsSupportStaff = support, NormalizedEmail = $"{name}@example.test".ToUpperInvariant() };
        await using var db = Db();
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    public async Task<Organization> OrganizationAsync(string name, OrganizationPlan plan = OrganizationPlan.Paid, bool billingValid = true,
        params (FleetUser User, OrganizationRole Role)[] members)
    {
        var organization = new Organization { Name = name, Plan = plan, BillingAccountValid = billingValid };
        await using var db = Db();
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        foreach (var (user, role) in members)
            db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = organization.Id, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
        return organization;
    }

    public async Task<Application> ApplicationAsync(Organization organization, string name,
        ApplicationType type = ApplicationType.Microservices, string deviceType = "raspberrypi4-64",
        params (FleetUser User, ApplicationRole Role)[] members)
    {
        var application = new Application
        {
            OrganizationId = organization.Id, Name = name, Type = type, DefaultDeviceType = deviceType, CreatedAt = Clock.Now,
        };
        await using var db = Db();
        db.Applications.Add(application);
        await db.SaveChangesAsync();
        foreach (var (user, role) in members)
            db.ApplicationMembers.Add(new ApplicationMember { ApplicationId = application.Id, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
        return application;
    }

    /// <summary>A device that has connected and heartbeats now (Online), unless told otherwise.</summary>
    public async Task<Device> DeviceAsync(Application application, string name, Action<Device>? shape = null)
    {
        var device = new Device
        {
            Uuid = Device.NewUuid(), Name = name, DeviceType = application.DefaultDeviceType, ApplicationId = application.Id,
            HostOsVersion = new FleetVersion(2, 13, 1), AgentVersion = new FleetVersion(1, 4, 2),
            ProvisionedAt = Clock.Now.AddDays(-30), FirstConnectedAt = Clock.Now.AddDays(-30), LastContactAt = Clock.Now,
        };
        shape?.Invoke(device);
        await using var db = Db();
        db.Devices.Add(device);
        await db.SaveChangesAsync();
        return device;
    }

    public async Task<Device> ReloadAsync(Device device)
    {
        await using var db = Db();
        return await db.Devices.Include(d => d.Tags).AsNoTracking().SingleAsync(d => d.Id == device.Id);
    }
}
