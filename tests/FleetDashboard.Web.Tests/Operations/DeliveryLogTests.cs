using Microsoft.Extensions.DependencyInjection;
using FleetDashboard.Web.Devices;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Tests.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Web.Tests.Operations;

/// <summary>Every log entry kept, with the delivery's Debug lines switched on as an operator chasing one device would.</summary>
public sealed class LoggedDeliveryServer : DeviceFleetServer
{
    public LoggedDeliveryServer() : this(new CapturedLog())
    {
    }

    private LoggedDeliveryServer(CapturedLog log) : base(new FleetServerOptions
    {
        Settings = new Dictionary<string, string?> { ["Logging:LogLevel:FleetDashboard.Web.Actions"] = "Debug" },
        Services = services => services.AddSingleton<ILoggerProvider>(log),
    })
    {
        Log = log;
    }

    public CapturedLog Log { get; }
}

public sealed class DeliveryLogTests(LoggedDeliveryServer server) : IClassFixture<LoggedDeliveryServer>
{
    private static readonly string[] DeliveryCategories = [typeof(RunDelivery).FullName!, typeof(DeliveredOutcomes).FullName!];

    [Fact]
    public async Task Every_delivery_line_carries_the_run_id_and_the_device_id()
    {
        var fleet = await server.FleetAsync("logged");
        var fine = await fleet.RegisterAsync(name: "fine");
        var full = await fleet.RegisterAsync(name: "full");
        await using var good = await TestDevice.ConnectAsync(server.BaseAddress, fine.Credential);
        await using var bad = await TestDevice.ConnectAsync(server.BaseAddress, full.Credential);
        bad.Answer = _ => Task.FromResult(new ActionResult(ActionResultKind.Failed, "disk full"));
        var ids = new[] { await fleet.DeviceIdAsync(fine.Uuid), await fleet.DeviceIdAsync(full.Uuid) };
        // Recorded, not only held: a device whose connection is not yet in the store is planned as Offline.
        await Wait.UntilAsync(() => ids.All(server.Services.GetRequiredService<DeviceConnections>().IsRecorded), "both devices' connections recorded");

        var run = await server.Actions.RunAsync(fleet.Operator, new(new RestartApplication(), DeviceTargets.Application(fleet.ApplicationId)));

        // An outcome's line is written where it is recorded, which may finish just after the run returns (seen on
        // PostgreSQL): wait for a line of each device rather than read the log at once.
        List<CapturedLog.Entry> lines = [], ofThisRun = [];
        await Wait.UntilAsync(() =>
        {
            lines = server.Log.Entries.Where(e => DeliveryCategories.Contains(e.Category)).ToList();
            ofThisRun = lines.Where(e => Equals(e.Properties.GetValueOrDefault("RunId"), run.Id)).ToList();
            return ids.All(id => ofThisRun.Any(e => Equals(e.Properties.GetValueOrDefault("DeviceId"), id)));
        }, "a delivery line of each device", TimeSpan.FromSeconds(90)); // 30 s was too short at load 35 on PostgreSQL
        Assert.Equal(ids.Order(), ofThisRun.Select(e => (int)e.Properties["DeviceId"]!).Order());
        Assert.All(lines, e => Assert.True(e.Properties.ContainsKey("RunId") && e.Properties.ContainsKey("DeviceId"), e.Message));
        Assert.Contains(ofThisRun, e => e.Level == LogLevel.Debug && e.Message.EndsWith($"device {ids[0]} succeeded."));
        Assert.Contains(ofThisRun, e => e.Level == LogLevel.Information && e.Message.Contains($"device {ids[1]} failed: disk full"));
    }
}
