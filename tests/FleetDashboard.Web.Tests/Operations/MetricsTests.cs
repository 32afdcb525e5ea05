using Microsoft.Extensions.DependencyInjection;
using FleetDashboard.Web.Devices;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Tests.Devices;

namespace FleetDashboard.Web.Tests.Operations;

/// <summary>/metrics scraped from 127.0.0.1 (allowed by default) while real devices connect, report and answer actions.</summary>
public sealed class MetricsTests(DeviceFleetServer server) : IClassFixture<DeviceFleetServer>
{
    private Task<Scrape> ScrapeAsync() => Scrape.ReadAsync(server.BaseAddress);

    private async Task WaitForAsync(string name, string? label, double expected, string what) =>
        await Wait.UntilAsync(async () => Assert.Equal(expected, (await ScrapeAsync()).Value(name, label)), what);

    /// <summary>Connects devices and waits until the server has recorded each one's connection: a device whose
    /// connection is not yet recorded is planned as Offline (seen on PostgreSQL, where "any two connections" was
    /// satisfied by a device of an earlier test still leaving).</summary>
    private async Task<List<TestDevice>> ConnectAsync(Fleet fleet, int count)
    {
        var connections = server.Services.GetRequiredService<DeviceConnections>();
        var devices = new List<TestDevice>();
        for (var i = 0; i < count; i++)
        {
            var registered = await fleet.RegisterAsync();
            devices.Add(await TestDevice.ConnectAsync(server.BaseAddress, registered.Credential));
            var id = await fleet.DeviceIdAsync(registered.Uuid);
            await Wait.UntilAsync(() => connections.IsRecorded(id), $"device {id}'s connection recorded by the server");
        }
        return devices;
    }

    [Fact]
    public async Task The_connected_devices_figure_follows_devices_as_they_connect_and_leave()
    {
        var fleet = await server.FleetAsync("metrics-connected");
        var before = (await ScrapeAsync()).Value("fleet_devices_connected");

        var devices = await ConnectAsync(fleet, 3);
        await WaitForAsync("fleet_devices_connected", null, before + 3, "three more devices connected in the scrape");

        foreach (var device in devices) await device.DisposeAsync();
        await WaitForAsync("fleet_devices_connected", null, before, "the devices gone from the scrape");
    }

    [Fact]
    public async Task Deliveries_are_counted_by_outcome_and_a_run_is_in_flight_while_its_devices_answer()
    {
        var fleet = await server.FleetAsync("metrics-deliveries");
        var devices = await ConnectAsync(fleet, 2);
        var answer = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        devices[0].Answer = _ => answer.Task;
        devices[1].Answer = _ => Task.FromResult(new ActionResult(ActionResultKind.Failed, "disk full"));
        var before = await ScrapeAsync();
        var succeeded = before.Value("fleet_deliveries_total", "outcome=\"succeeded\"");
        var failed = before.Value("fleet_deliveries_total", "outcome=\"failed\"");

        var started = await server.Actions.StartAsync(fleet.Operator, new(new RestartApplication(), DeviceTargets.Application(fleet.ApplicationId)));
        await WaitForAsync("fleet_runs_in_flight", null, 1, "the run in flight while a device has not answered");
        answer.SetResult(ActionResult.Succeeded);

        await WaitForAsync("fleet_runs_in_flight", null, 0, "the run no longer in flight");
        // Waited for, not read once: a scrape reads the instruments one after the other, so the one that said "no run
        // in flight" may have read the deliveries just before they were counted (seen on a machine at load 35).
        await WaitForAsync("fleet_deliveries_total", "outcome=\"succeeded\"", succeeded + 1, "the succeeded delivery counted");
        await WaitForAsync("fleet_deliveries_total", "outcome=\"failed\"", failed + 1, "the failed delivery counted");
        Assert.True(started.Id > 0);
        foreach (var device in devices) await device.DisposeAsync();
    }

    [Fact]
    public async Task Reports_store_latency_and_the_runtime_and_ASP_NET_Core_meters_are_scraped_too()
    {
        var fleet = await server.FleetAsync("metrics-reports");
        await using var device = (await ConnectAsync(fleet, 1)).Single();
        var reports = (await ScrapeAsync()).Value("fleet_device_reports_total");

        await device.ReportAsync();
        await device.ReportAsync();

        await WaitForAsync("fleet_device_reports_total", null, reports + 2, "two more reports counted");
        var scrape = await ScrapeAsync();
        Assert.True(scrape.Value("fleet_store_duration_seconds_count") > 0, "store commands are timed");
        Assert.Contains("fleet_store_duration_seconds_bucket{", scrape.Text);
        Assert.Contains("\nhttp_server_request_duration_seconds_bucket{", scrape.Text);
        Assert.Contains("\ndotnet_gc_", scrape.Text);
        Assert.Contains("\nkestrel_active_connections", scrape.Text);
        Assert.Contains("\nsignalr_server_active_connections", scrape.Text);
    }
}
