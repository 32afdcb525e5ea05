using FleetDashboard.Web.Actions;
using System.Diagnostics;
using System.Security.Claims;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Testing;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Bench.Hosting;

/// <summary>
/// `serve --mode real`: the dashboard on a fixed loopback port (so a restart finds it again) over SQLite in a kept
/// folder, seeded once with the bench's application, an operator and N devices. count: its Online devices;
/// reboot: "confirm-ticks all-recorded-ms outcomes succeeded", every device rebooted at once.
/// </summary>
public sealed class RealSide(FleetServer server, int applicationId, ClaimsPrincipal operatorUser) : BenchServer.ISide
{
    public const string ApplicationName = "bench";

    public static RealSide Start(int port, string data, int devices, IReadOnlyDictionary<string, string?> settings)
    {
        (int ApplicationId, ClaimsPrincipal Operator)? seeded = null;
        var server = BenchServer.Dashboard(data, port, FleetSeed.Given(async services => seeded = await SeedAsync(services, devices)), settings);
        _ = server.BaseAddress;
        var (applicationId, operatorUser) = seeded ?? throw new InvalidOperationException("The bench fleet was not seeded.");
        return new RealSide(server, applicationId, operatorUser);
    }

    public Uri Address => server.BaseAddress;

    public async Task<string?> AnswerAsync(string[] command) => command switch
    {
        ["count"] => (await ConnectedAsync()).ToString(),
        ["reboot"] => await RebootAsync(),
        _ => null,
    };

    private async Task<int> ConnectedAsync() =>
        await server.QueryAsync(db => db.Devices.CountAsync(d => d.ApplicationId == applicationId && d.ConnectedAt != null));

    private async Task<string> RebootAsync()
    {
        var ids = await server.QueryAsync(db => db.Devices.Where(d => d.ApplicationId == applicationId).Select(d => d.Id).ToListAsync());
        var actions = server.Services.GetRequiredService<ActionService>();
        var confirm = DateTime.UtcNow.Ticks;
        var clock = Stopwatch.StartNew();
        var run = await actions.RunAsync(operatorUser, new(new RebootDevice(), DeviceTargets.Group(applicationId, ids)));
        if (run.Refusal is not null) return $"error refused: {run.Refusal}";
        var recorded = 0;
        var succeeded = 0;
        try
        {
            await Wait.UntilAsync(async () =>
            {
                var outcomes = await server.QueryAsync(db => db.ActionOutcomes.Where(o => o.ActionRunId == run.Id).GroupBy(o => o.Kind)
                    .Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
                recorded = outcomes.Sum(o => o.Count);
                succeeded = outcomes.Where(o => o.Key == OutcomeKind.Succeeded).Sum(o => o.Count);
                return recorded >= ids.Count;
            }, "every outcome to be recorded", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            // The figure says how many were recorded in time.
        }
        return $"{confirm} {clock.Elapsed.TotalMilliseconds:F0} {recorded} {succeeded}";
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    /// <summary>On every start: a restart over the same file finds the fleet already there.</summary>
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
                    CredentialHash = Secret.Hash(BenchServer.Credential(i)),
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
