using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using System.Net.Http.Json;
using System.Security.Claims;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>
/// The dashboard on a real port, empty (no demo, no demo fleet), with builders for an operator, an application and
/// a provisioning key, for tests that connect devices to it.
/// </summary>
public class DeviceFleetServer : FleetServer
{
    public DeviceFleetServer() : this(new FleetServerOptions())
    {
    }

    protected DeviceFleetServer(FleetServerOptions options) : base(options with { Settings = Roomy(options.Settings) })
    {
    }

    /// <summary>
    /// Registration limits no test of the devices meets (500 simulated devices register at once from one address);
    /// a fixture's own settings win. The limits themselves are tested with their defaults' shape in RegistrationLimitTests.
    /// </summary>
    private static Dictionary<string, string?> Roomy(IReadOnlyDictionary<string, string?> settings)
    {
        var roomy = new Dictionary<string, string?>
        {
            ["Fleet:Registration:PerAddress:Burst"] = "10000", ["Fleet:Registration:PerAddress:PerSecond"] = "10000",
            ["Fleet:Registration:PerKey:Burst"] = "10000", ["Fleet:Registration:PerKey:PerSecond"] = "10000",
        };
        foreach (var (key, value) in settings) roomy[key] = value;
        return roomy;
    }

    public ActionService Actions => Services.GetRequiredService<ActionService>();

    /// <summary>A fresh organization with an application of <paramref name="deviceType"/>, an operator on it, and a key.</summary>
    public async Task<Fleet> FleetAsync(string name, ApplicationType type = ApplicationType.Microservices, string deviceType = "raspberrypi4-64")
    {
        var user = await CreateUserAsync($"{name}-operator@acme.test", "Operator-password-1");
        await using var db = await DbAsync();
        var organization = new Organization { Name = $"{name} org", Plan = OrganizationPlan.Paid, BillingAccountValid = true };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        var application = new Application { OrganizationId = organization.Id, Name = name, Type = type, DefaultDeviceType = deviceType };
        db.Applications.Add(application);
        await db.SaveChangesAsync();
        db.ApplicationMembers.Add(new ApplicationMember { ApplicationId = application.Id, UserId = user.Id, Role = ApplicationRole.Operator });
        await db.SaveChangesAsync();
        var principal = FleetStore.SignedIn(user);
        var fleet = new Fleet(this, application.Id, principal, "", deviceType);
        // Keys are a Developer's to make (issue 12).
        var developer = await DeveloperAsync(fleet);
        var (run, key) = await Actions.IssueAsync(developer, ActionRequest.On(application.Id, new CreateProvisioningKey("tests")));
        Assert.Null(run.Refusal);
        return fleet with { ProvisioningKey = key!, Developer = developer };
    }

    /// <summary>A Developer on the fleet's application, for releases.</summary>
    public async Task<ClaimsPrincipal> DeveloperAsync(Fleet fleet)
    {
        if (fleet.Developer is { } known) return known;
        var user = await CreateUserAsync($"developer-{fleet.ApplicationId}@acme.test", "Developer-password-1");
        await using var db = await DbAsync();
        db.ApplicationMembers.Add(new ApplicationMember { ApplicationId = fleet.ApplicationId, UserId = user.Id, Role = ApplicationRole.Developer });
        await db.SaveChangesAsync();
        return FleetStore.SignedIn(user);
    }

    /// <summary>Another application of the same organization and architecture, on which the fleet's operator is Operator too.</summary>
    public async Task<int> NeighbourAsync(Fleet fleet, string name)
    {
        await using var db = await DbAsync();
        var home = await db.Applications.SingleAsync(a => a.Id == fleet.ApplicationId);
        var neighbour = new Application { OrganizationId = home.OrganizationId, Name = name, Type = home.Type, DefaultDeviceType = home.DefaultDeviceType };
        db.Applications.Add(neighbour);
        await db.SaveChangesAsync();
        db.ApplicationMembers.Add(new ApplicationMember
        {
            ApplicationId = neighbour.Id, UserId = fleet.Operator.FindFirst(ClaimTypes.NameIdentifier)!.Value, Role = ApplicationRole.Operator,
        });
        await db.SaveChangesAsync();
        return neighbour.Id;
    }
}

/// <summary>
/// Tight limits for tests of the door with bare test devices: 10 s (not 50) to answer an action, so "timed
/// out" is quick to see, and a rate limit a flood cannot miss however slow the machine.
/// </summary>
public sealed class StrictDeviceServer() : DeviceFleetServer(new FleetServerOptions
{
    Settings = new Dictionary<string, string?>
    {
        ["Fleet:Delivery:ActionTimeout"] = "00:00:10",
        ["Fleet:DeviceRateLimit:Burst"] = "20",
        ["Fleet:DeviceRateLimit:PerSecond"] = "1",
    },
});

public sealed record Fleet(DeviceFleetServer Server, int ApplicationId, ClaimsPrincipal Operator, string ProvisioningKey, string DeviceType)
{
    /// <summary>A Developer on the application: releases and provisioning keys are theirs.</summary>
    public ClaimsPrincipal? Developer { get; init; }

    public Task<RegisterResponse> RegisterAsync(string hostOs = "2.13.1", string agent = "1.4.2", string? name = null) =>
        RegisterAsync(Server.BaseAddress, ProvisioningKey, DeviceType, hostOs, agent, name);

    /// <summary>Registers a device with a provisioning key, as a device would: also for a server in another process.</summary>
    public static async Task<RegisterResponse> RegisterAsync(Uri server, string provisioningKey, string deviceType,
        string hostOs = "2.13.1", string agent = "1.4.2", string? name = null)
    {
        using var http = new HttpClient { BaseAddress = server };
        var response = await http.PostAsJsonAsync(DeviceProtocol.RegisterPath.TrimStart('/'),
            new RegisterRequest(DeviceProtocol.Version, provisioningKey, deviceType, name, hostOs, agent));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RegisterResponse>())!;
    }

    public async Task<int> DeviceIdAsync(string uuid)
    {
        await using var db = await Server.DbAsync();
        return await db.Devices.Where(d => d.Uuid == uuid).Select(d => d.Id).SingleAsync();
    }
}
