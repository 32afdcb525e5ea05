using System.Net;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Web.Tests.Data;

/// <summary>The dashboard as deployed, over a PostgreSQL server of its own that the tests stop and start under it.</summary>
public sealed class OutageServer : DeviceFleetServer
{
    public OutageServer() : this(OwnPostgres.Start())
    {
    }

    private OutageServer(OwnPostgres postgres) : base(new FleetServerOptions
    {
        Environment = "Production",
        Settings = new Dictionary<string, string?>
        {
            [FleetStores.StoreKey] = FleetStores.Postgres,
            ["ConnectionStrings:Fleet"] = postgres.ConnectionString("fleet_outage"),
        },
    }) => Postgres = postgres;

    public OwnPostgres Postgres { get; }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            // Whatever the host's stop threw: a server left running would outlive the test run.
            Postgres.Dispose();
        }
    }
}

/// <summary>
/// PostgreSQL down under a running node (issue 13): pages say so plainly, a device's report is retried until it is
/// stored, a confirmed action is refused whole, /readyz says not ready; and all of it comes back with the server.
/// </summary>
public sealed class StoreOutageTests(OutageServer server) : IClassFixture<OutageServer>
{
    // Twenty times real time: the agent's retries come within a second or two.
    private static readonly SimulationOptions Fast = new() { TimeFactor = 20 };

    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    private async Task<HttpStatusCode> ReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.GetAsync("readyz");
        return response.StatusCode;
    }

    /// <summary>Stops the store for the length of <paramref name="during"/>, and starts it again whatever happens.</summary>
    private async Task WithoutTheStoreAsync(Func<Task> during)
    {
        server.Postgres.Down();
        try
        {
            await during();
        }
        finally
        {
            server.Postgres.Up();
        }
    }

    [Fact]
    public async Task A_report_sent_while_the_store_is_out_is_stored_once_it_is_back()
    {
        var fleet = await server.FleetAsync("outage-report");
        var log = new CapturedLog();
        using var logging = LoggerFactory.Create(builder => builder.AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        // No poll while the test runs: a target state fetched makes the agent report again, which would hide a missing retry.
        var options = Fast with { LoggerFactory = logging, PollInterval = TimeSpan.FromHours(10) };
        await using var devices = await SimulatedFleet.StartAsync(server.BaseAddress, fleet.ProvisioningKey, 1, options,
            _ => new SimulatedDevice(new DeviceSetup { HostOsVersion = "2.13.1", AgentVersion = "1.4.2", DeviceType = fleet.DeviceType }, options));
        var agent = devices.Agents[0];
        await agent.WhenConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Wait.UntilAsync(() => agent.Device.ApplicationId == fleet.ApplicationId, "the device to know its application");
        var connection = agent.ConnectionCount;

        await WithoutTheStoreAsync(async () =>
        {
            await Wait.UntilAsync(async () => await ReadyAsync() == HttpStatusCode.ServiceUnavailable, "/readyz to say not ready");
            agent.Device.HoldLock();
            // Refused with the reason, not SignalR's bare "an unexpected error occurred".
            await Wait.UntilAsync(() => log.Entries.Any(e => e.Message.Contains("report not delivered")
                && e.Exception?.Message.Contains(StoreOutage.DeviceMessage) == true), "the report to be refused because the store is out");
        });

        await Wait.UntilAsync(async () => Assert.True(await server.QueryAsync(db =>
                db.Devices.Where(d => d.Uuid == agent.Identity.Uuid).Select(d => d.UpdateLockHeld).SingleAsync())),
            "the report sent during the outage to be stored", Recovery);
        // Sent again on the same connection: not merely reported afresh by a reconnection.
        Assert.Equal(connection, agent.ConnectionCount);
        await Wait.UntilAsync(async () => await ReadyAsync() == HttpStatusCode.OK, "/readyz to say ready again", Recovery);
    }

    [Fact]
    public async Task A_confirm_while_the_store_is_out_records_nothing_and_sends_nothing()
    {
        var fleet = await server.FleetAsync("outage-confirm");
        var registered = await fleet.RegisterAsync();
        await using var device = await TestDevice.ConnectAsync(server.BaseAddress, registered.Credential);
        var deviceId = await server.QueryAsync(db => db.Devices.Where(d => d.Uuid == registered.Uuid).Select(d => d.Id).SingleAsync());
        await Wait.UntilAsync(async () => await server.QueryAsync(db => db.Devices.AnyAsync(d => d.Id == deviceId && d.ConnectedAt != null)),
            "the device to be recorded as connected");
        var reboot = new ActionRequest(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, deviceId));
        Assert.Null((await server.Actions.PlanAsync(fleet.Operator, reboot)).Decision.Refusal);

        Exception? refused = null;
        await WithoutTheStoreAsync(async () =>
            refused = await Assert.ThrowsAnyAsync<Exception>(() => server.Actions.StartAsync(fleet.Operator, reboot)));

        Assert.True(StoreOutage.Is(refused), $"an outage of the store, not {refused}");
        Assert.Empty(device.Commands);
        await Wait.UntilAsync(async () => Assert.Equal(0, await server.QueryAsync(db =>
                db.ActionRuns.CountAsync(r => r.ApplicationId == fleet.ApplicationId && r.ActionKey == reboot.Action.Key))),
            "the store to answer again", Recovery);
        Assert.Equal(0, await server.QueryAsync(db => db.RunTargets.CountAsync(t => t.DeviceId == deviceId)));
    }

    [Fact]
    public async Task A_page_says_plainly_that_the_store_is_out_and_shows_again_once_it_is_back()
    {
        var fleet = await server.FleetAsync("outage-page");
        using var browser = server.CreateBrowser();
        await browser.SignInAsync("outage-page-operator@acme.test", "Operator-password-1");
        Assert.True(browser.HasAuthCookie);
        var page = $"applications/{fleet.ApplicationId}";
        Assert.DoesNotContain("store-outage", await browser.GetPageAsync(page));

        await WithoutTheStoreAsync(async () =>
        {
            using var response = await browser.GetAsync(page);
            var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains(StoreOutage.PageMessage, body);
            Assert.DoesNotContain("Npgsql", body);
            Assert.DoesNotContain("   at ", body);
        });

        await Wait.UntilAsync(async () => Assert.DoesNotContain("store-outage", await browser.GetPageAsync(page)),
            "the page to show again", Recovery);
    }

    [Fact]
    public async Task Registration_while_the_store_is_out_is_unavailable_for_now_not_refused()
    {
        var fleet = await server.FleetAsync("outage-register");
        await WithoutTheStoreAsync(async () =>
        {
            var unavailable = await Assert.ThrowsAsync<HttpRequestException>(() => fleet.RegisterAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        });
        await Wait.UntilAsync(() => fleet.RegisterAsync(), "registration to work again", Recovery);
    }
}
