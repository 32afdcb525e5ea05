using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Data;

/// <summary>
/// The Development demo: "Acme" (Paid) and "Globex" (Free), applications of every type, 67 devices of every
/// type, status, old and new host OS and agent, and a user per role. Runs on every start and does nothing
/// once the demo is there.
/// </summary>
public static class DemoSeed
{
    public const string Domain = "acme.test";
    public static readonly string[] People = ["admin", "developer", "operator", "observer", "support"];

    public static async Task SeedDemoAsync(IServiceProvider services)
    {
        var config = services.GetRequiredService<IConfiguration>();
        var password = config["Fleet:DemoPassword"]
            ?? throw new InvalidOperationException("Fleet:DemoPassword is not set: the demo users need it (appsettings.Development.json).");
        var users = services.GetRequiredService<UserManager<FleetUser>>();
        var db = services.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();

        var ids = new Dictionary<string, string>();
        foreach (var person in People)
            ids[person] = await EnsureUserAsync(users, $"{person}@{Domain}", password, person == "support");

        await using var context = await db.CreateDbContextAsync();
        if (await context.Organizations.AnyAsync()) await MoveDemoClockAsync(context, now);
        else await SeedFleetAsync(context, ids, now, config["Fleet:DemoProvisioningKey"]);
    }

    /// <summary>
    /// No agent connects yet, so the demo's devices are only as fresh as their recorded heartbeats. On each
    /// start the demo's clock moves to now: every instant of its devices and support grants shifts by the
    /// same amount, and the fleet shows the spread of statuses it was seeded with.
    /// </summary>
    private static async Task MoveDemoClockAsync(FleetDbContext db, DateTimeOffset now)
    {
        var devices = await db.Devices.ToListAsync();
        var newest = devices.Max(d => d.LastContactAt);
        if (newest is null || now - newest < TimeSpan.FromMinutes(1)) return;
        var shift = now - newest.Value - TimeSpan.FromSeconds(5);
        DateTimeOffset? Shifted(DateTimeOffset? at) => at + shift;
        foreach (var device in devices)
        {
            device.ProvisionedAt += shift;
            device.FirstConnectedAt = Shifted(device.FirstConnectedAt);
            device.LastContactAt = Shifted(device.LastContactAt);
            device.DisconnectedAt = Shifted(device.DisconnectedAt);
            device.DeactivatedAt = Shifted(device.DeactivatedAt);
        }
        foreach (var grant in await db.SupportGrants.Where(g => g.RevokedAt == null).ToListAsync())
        {
            grant.GrantedAt += shift;
            grant.Until += shift;
        }
        await db.SaveChangesAsync();
    }

    private static async Task<string> EnsureUserAsync(UserManager<FleetUser> users, string email, string password, bool support)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is not null) return user.Id;
        user = new FleetUser(email, char.ToUpperInvariant(email[0]) + email[1..email.IndexOf('@')]) { IsSupportStaff = support };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            throw new InvalidOperationException($"Demo user {email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        return user.Id;
    }

    private sealed record Fleet(string Name, ApplicationType Type, string DeviceType, int Devices, string[] HostOs, string[] Agents);

    private static async Task SeedFleetAsync(FleetDbContext db, Dictionary<string, string> ids, DateTimeOffset now, string? demoProvisioningKey)
    {
        var acme = new Organization { Name = "Acme", Plan = OrganizationPlan.Paid, BillingAccountValid = true };
        var globex = new Organization { Name = "Globex", Plan = OrganizationPlan.Free, BillingAccountValid = false };
        db.Organizations.AddRange(acme, globex);
        await db.SaveChangesAsync();

        db.OrganizationMembers.AddRange(
            new OrganizationMember { OrganizationId = acme.Id, UserId = ids["admin"], Role = OrganizationRole.Administrator },
            new OrganizationMember { OrganizationId = globex.Id, UserId = ids["admin"], Role = OrganizationRole.Administrator },
            new OrganizationMember { OrganizationId = acme.Id, UserId = ids["developer"], Role = OrganizationRole.Member },
            new OrganizationMember { OrganizationId = acme.Id, UserId = ids["operator"], Role = OrganizationRole.Member },
            new OrganizationMember { OrganizationId = acme.Id, UserId = ids["observer"], Role = OrganizationRole.Member });

        string[] modern = ["2.12.0", "2.12.7+rev1", "2.13.1", "2.14.0"];
        string[] mixed = ["2.0.3", "2.9.0", "2.12.7+rev1", "2.14.0"];
        string[] agents = ["0.9.8", "1.0.4", "1.1.0", "1.4.2", "2.0.1"];
        string[] newAgents = ["1.1.0", "1.4.2", "2.0.1"];
        var fleets = new (Organization Org, Fleet Fleet)[]
        {
            (acme, new("kiosk-fleet", ApplicationType.Microservices, "raspberrypi4-64", 20, modern, agents)),
            (acme, new("sensor-net", ApplicationType.Essentials, "raspberrypi3", 12, modern, newAgents)),
            (acme, new("lab-rigs", ApplicationType.Classic, "intel-nuc", 10, mixed, agents)),
            (acme, new("old-signage", ApplicationType.Legacy, "beaglebone-black", 6, ["2.0.3", "2.9.0"], ["0.9.8", "1.0.4"])),
            (acme, new("starter-demo", ApplicationType.Starter, "raspberry-pi", 5, modern, newAgents)),
            (globex, new("globex-trial", ApplicationType.Starter, "generic-aarch64", 4, modern, newAgents)),
            (globex, new("gateways", ApplicationType.Classic, "jetson-nano", 10, ["2.12.0", "2.13.1"], agents)),
        };

        var random = new Random(2026);
        string[] sites = ["north", "south", "harbour", "airport"];
        var deviceTypesByArchitecture = DeviceType.All.ToLookup(t => t.Architecture);
        foreach (var (organization, fleet) in fleets)
        {
            var application = new Application
            {
                OrganizationId = organization.Id, Name = fleet.Name, Type = fleet.Type, DefaultDeviceType = fleet.DeviceType,
                CreatedAt = now.AddDays(-200),
            };
            db.Applications.Add(application);
            await db.SaveChangesAsync();

            var releases = Enumerable.Range(0, 3).Select(i => new Release
            {
                ApplicationId = application.Id, Commit = Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())).ToLowerInvariant()[..12],
                Version = $"1.{i}.0", Note = i == 0 ? "First release." : $"Fixes and improvements ({i + 1} of 3).",
                CreatedAt = now.AddDays(-30 + i * 10), CreatedBy = $"developer@{Domain}",
                Services = new() { ["main"] = $"registry.{Domain}/{fleet.Name}/main:{i + 1}", ["proxy"] = "nginx:1.27" },
            }).ToList();
            db.Releases.AddRange(releases);
            await db.SaveChangesAsync();
            application.TargetReleaseId = releases[^1].Id;

            if (organization == acme)
                foreach (var (person, role) in new[] { ("developer", ApplicationRole.Developer), ("operator", ApplicationRole.Operator), ("observer", ApplicationRole.Observer) })
                    db.ApplicationMembers.Add(new ApplicationMember { ApplicationId = application.Id, UserId = ids[person], Role = role });

            var sameArchitecture = deviceTypesByArchitecture[DeviceType.Get(fleet.DeviceType).Architecture].ToList();
            for (var n = 1; n <= fleet.Devices; n++)
            {
                var device = new Device
                {
                    Uuid = Device.NewUuid(),
                    Name = $"{fleet.Name.Split('-')[0]}-{n:D2}",
                    DeviceType = sameArchitecture[random.Next(sameArchitecture.Count)].Slug,
                    ApplicationId = application.Id,
                    HostOsVersion = FleetVersion.Parse(fleet.HostOs[random.Next(fleet.HostOs.Length)]),
                    AgentVersion = FleetVersion.Parse(fleet.Agents[random.Next(fleet.Agents.Length)]),
                    ReleaseCommit = releases[random.Next(10) < 7 ? 2 : random.Next(2)].Commit,
                    ProvisionedAt = now.AddDays(-random.Next(1, 180)),
                    IpAddresses = $"10.{random.Next(1, 20)}.{random.Next(0, 255)}.{random.Next(2, 254)}",
                    PublicUrlEnabled = fleet.Type.AllowsPublicUrls() && random.Next(4) == 0,
                    UpdateLockHeld = random.Next(8) == 0,
                };
                SetStatus(device, n, now, random);
                GiveWorkAnEnd(device, releases[^1], releases[^2]);
                device.SetTag("site", sites[random.Next(sites.Length)]);
                if (random.Next(3) == 0) device.SetTag("floor", random.Next(1, 6).ToString());
                if (random.Next(5) == 0) device.SetTag("pilot", null);
                db.Devices.Add(device);
            }
        }
        await db.SaveChangesAsync();

        // Support can look at the kiosk fleet for a week, and at one sensor for a day.
        var kiosk = await db.Applications.SingleAsync(a => a.Name == "kiosk-fleet");
        if (demoProvisioningKey is not null)
            db.ProvisioningKeys.Add(new ProvisioningKey
            {
                ApplicationId = kiosk.Id, Name = "demo simulator", KeyHash = Secret.Hash(demoProvisioningKey),
                CreatedBy = $"admin@{Domain}", CreatedAt = now,
            });
        var sensor = await db.Devices.OrderBy(d => d.Id).FirstAsync(d => d.Name == "sensor-01");
        db.SupportGrants.AddRange(
            new SupportGrant { ApplicationId = kiosk.Id, GrantedBy = $"admin@{Domain}", GrantedAt = now, Until = now.AddDays(7) },
            new SupportGrant { DeviceId = sensor.Id, GrantedBy = $"admin@{Domain}", GrantedAt = now, Until = now.AddDays(1) });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// What a seeded device is busy with must be work it can finish, for the live demo fleet runs every online
    /// device: one holding its update lock with an older release downloaded the target and then waited on its
    /// own lock, Updating for ever. So a device applying a release has an older one to leave and no lock, and a
    /// device holding its lock already runs the target release. (One seeded as updating its host OS has no
    /// target host OS: its agent reports it idle at once, and the live demo has no reboots of its own.)
    /// </summary>
    private static void GiveWorkAnEnd(Device device, Release target, Release older)
    {
        if (device.Progress == DeviceProgress.ApplyingRelease)
        {
            device.ReleaseCommit = older.Commit;
            device.UpdateLockHeld = false;
        }
        else if (device.UpdateLockHeld)
        {
            device.ReleaseCommit = target.Commit;
        }
    }

    /// <summary>Spreads the statuses: mostly online, some offline, a few of each other kind.</summary>
    private static void SetStatus(Device device, int n, DateTimeOffset now, Random random)
    {
        switch (n % 10)
        {
            case 0 when n % 20 == 0:
                device.ProvisionedAt = now.AddHours(-5); // new: never connected
                return;
            case 0:
                device.FirstConnectedAt = device.ProvisionedAt.AddMinutes(3);
                device.LastContactAt = now.AddDays(-random.Next(2, 30));
                device.DeactivatedAt = device.LastContactAt.Value.AddDays(1);
                return;
            case 3 or 7:
                device.FirstConnectedAt = device.ProvisionedAt.AddMinutes(3);
                device.LastContactAt = now.AddHours(-random.Next(1, 72));
                return;
            default:
                device.FirstConnectedAt = device.ProvisionedAt.AddMinutes(3);
                device.LastContactAt = now.AddSeconds(-random.Next(5, 300));
                device.Progress = n % 10 == 5 ? DeviceProgress.ApplyingRelease : n % 10 == 9 ? DeviceProgress.UpdatingHostOs : DeviceProgress.Idle;
                return;
        }
    }
}
