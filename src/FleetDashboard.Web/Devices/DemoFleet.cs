using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Access;
using FleetDashboard.Web.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// In Development, the demo's devices that were online come alive: each gets a fresh credential and a
/// simulated device with an agent that connects to this very server, so a newcomer sees a live fleet at
/// once. Off with <c>Fleet:DemoFleet:Enabled=false</c>; <c>Fleet:DemoFleet:TimeFactor</c> speeds it up.
/// </summary>
public sealed class DemoFleet(IServiceProvider services, IServer server, IHostApplicationLifetime lifetime,
    IConfiguration configuration, IHostEnvironment environment, ILogger<DemoFleet> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _starting = Task.CompletedTask;
    private SimulatedFleet? _fleet;

    public SimulatedFleet? Fleet => _fleet;

    public static bool IsWanted(IConfiguration configuration, IHostEnvironment environment) =>
        environment.IsDevelopment()
        && configuration.GetValue("Fleet:SeedDemo", true)
        && configuration.GetValue("Fleet:DemoFleet:Enabled", true);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IsWanted(configuration, environment)) return Task.CompletedTask;
        // The agents connect over HTTP: wait until this server listens.
        lifetime.ApplicationStarted.Register(() => _starting = Task.Run(() => StartFleetAsync(_stopping.Token)));
        // And go before it stops: the server would otherwise wait out its shutdown timeout on their connections.
        lifetime.ApplicationStopping.Register(() => _stopped = StopFleetAsync());
        return Task.CompletedTask;
    }

    private async Task StartFleetAsync(CancellationToken ct)
    {
        try
        {
            var address = ServerAddress();
            var options = new SimulationOptions { TimeFactor = configuration.GetValue("Fleet:DemoFleet:TimeFactor", 1.0) };
            var devices = await ReissueCredentialsAsync(options, ct);
            _fleet = await SimulatedFleet.StartAsync(address, devices, options, ct);
            logger.LogInformation("Demo fleet: {Count} simulated devices connecting to {Address}", devices.Count, address);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "The demo fleet could not start; the dashboard runs without it.");
        }
    }

    /// <summary>The demo devices that were online when seeded, each with a new credential of its own.</summary>
    private async Task<List<(DeviceIdentity, SimulatedDevice)>> ReissueCredentialsAsync(SimulationOptions options, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync(ct);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var recently = now - TimeSpan.FromMinutes(10);
        var devices = await db.Devices
            // Only the seed's own devices: those registered with a key (the README's simulate) have agents of their own.
            .Where(d => d.ProvisioningKeyId == null && d.ApplicationId != null && d.DeactivatedAt == null
                        && d.FirstConnectedAt != null && d.LastContactAt > recently)
            .ToListAsync(ct);
        var applicationIds = devices.Select(d => d.ApplicationId!.Value).Distinct().ToList();
        var targets = await db.Applications.Where(a => applicationIds.Contains(a.Id))
            .Join(db.Releases, a => a.TargetReleaseId, r => r.Id, (a, r) => new { a.Id, r.Services })
            .ToDictionaryAsync(x => x.Id, x => x.Services, ct);

        var simulated = new List<(DeviceIdentity, SimulatedDevice)>();
        foreach (var device in devices)
        {
            var credential = Secret.New();
            device.CredentialHash = Secret.Hash(credential);
            var body = new SimulatedDevice(new DeviceSetup
            {
                DeviceType = device.DeviceType,
                HostOsVersion = device.HostOsVersion.ToString(),
                AgentVersion = device.AgentVersion.ToString(),
                Name = device.Name,
                ApplicationId = device.ApplicationId,
                ReleaseCommit = device.ReleaseCommit,
                Services = targets.GetValueOrDefault(device.ApplicationId!.Value) ?? new Dictionary<string, string>(),
                Volumes = ["data"],
                IpAddresses = device.IpAddresses.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            }, options);
            if (device.UpdateLockHeld) body.HoldLock();
            simulated.Add((new DeviceIdentity(device.Uuid, device.Name, credential), body));
        }
        await db.SaveChangesAsync(ct);
        return simulated;
    }

    private Uri ServerAddress()
    {
        var address = server.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var uri = new UriBuilder(address.Replace("://*", "://localhost").Replace("://+", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]") uri.Host = "127.0.0.1";
        return uri.Uri;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _stopped ??= StopFleetAsync();

    private Task? _stopped;

    private async Task StopFleetAsync()
    {
        await _stopping.CancelAsync();
        await _starting;
        if (_fleet is not null) await _fleet.DisposeAsync();
    }
}
