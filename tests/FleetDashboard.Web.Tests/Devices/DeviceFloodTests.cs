using System.Net;
using System.Net.Http.Headers;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>A tight message limit, a keep-out longer than any test, and every log entry kept.</summary>
public sealed class FloodServer : DeviceFleetServer
{
    public FloodServer() : this(new CapturedLog())
    {
    }

    private FloodServer(CapturedLog log) : base(new FleetServerOptions
    {
        Settings = new Dictionary<string, string?>
        {
            ["Fleet:DeviceRateLimit:Burst"] = "20",
            ["Fleet:DeviceRateLimit:PerSecond"] = "1",
            ["Fleet:DeviceRateLimit:RefusalsBeforeCut"] = "20",
            ["Fleet:DeviceRateLimit:FirstKeepOut"] = "00:05:00",
        },
        Services = services => services.AddSingleton<ILoggerProvider>(log),
    })
    {
        Log = log;
    }

    public CapturedLog Log { get; }
}

public sealed class DeviceFloodTests(FloodServer server) : IClassFixture<FloodServer>
{
    [Fact]
    public async Task A_flooding_device_is_warned_then_cut_and_kept_out_while_others_stay_live_and_the_log_stays_small()
    {
        var fleet = await server.FleetAsync("flood");
        var bystander = await fleet.RegisterAsync(name: "bystander");
        await using var good = await TestDevice.ConnectAsync(server.BaseAddress, bystander.Credential);
        var flooding = await fleet.RegisterAsync(name: "flooder");
        var flooderId = await fleet.DeviceIdAsync(flooding.Uuid);
        var flooder = await TestDevice.ConnectAsync(server.BaseAddress, flooding.Credential);
        var limits = server.Services.GetRequiredService<DeviceRateLimit>();

        // 5,000 messages as fast as the socket takes them, answers unread: far past the burst and the refusals before a cut.
        const int sent = 5_000;
        var flood = Task.Run(async () =>
        {
            for (var i = 0; i < sent && !flooder.Closed.IsCompleted; i++)
            {
                try
                {
                    await flooder.Connection.SendAsync(DeviceProtocol.Heartbeat);
                }
                catch (Exception) when (flooder.Closed.IsCompleted || flooder.Connection.State != HubConnectionState.Connected)
                {
                    break;
                }
            }
        });
        await Wait.UntilAsync(flooder.Closed, "the server to cut the flooding device");
        await flood;

        // Warned once, in words it can log.
        Assert.Contains("Too many messages", Assert.Single(flooder.SlowDowns));
        var standing = limits.Standing(flooderId)!;
        Assert.Equal(1, standing.Cuts);
        Assert.InRange(standing.KeptOutFor!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        // Of what it sent, only its burst (its connection included) and a little more reached the hub.
        Assert.InRange(standing.Admitted, 20, 40);

        // Its reconnects are refused during the keep-out, with the wait.
        var again = await Record.ExceptionAsync(() => TestDevice.ConnectAsync(server.BaseAddress, flooding.Credential));
        Assert.Equal(HttpStatusCode.TooManyRequests, Assert.IsType<HttpRequestException>(again).StatusCode);
        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            using var negotiate = new HttpRequestMessage(HttpMethod.Post, DeviceProtocol.HubPath.TrimStart('/') + "/negotiate?negotiateVersion=1");
            negotiate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", flooding.Credential);
            using var refused = await http.SendAsync(negotiate);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        }

        // Nothing it had queued reached the hub after the cut (issue 11: 13 s of 44 % CPU after the flood stopped).
        Assert.Equal(standing.Admitted, limits.Standing(flooderId)!.Admitted);

        // Every other device goes on.
        await good.ReportAsync(hostOs: "2.14.0");
        Assert.Equal(HubConnectionState.Connected, good.Connection.State);
        Assert.Equal(new FleetVersion(2, 14, 0), await server.QueryAsync(db => db.Devices.Where(d => d.Uuid == bystander.Uuid).Select(d => d.HostOsVersion).SingleAsync()));

        // A handful of lines, at Warning, without a stack trace: not one per refused message.
        var about = server.Log.Entries.Where(e => e.Message.Contains($"#{flooderId})") || e.Exception is not null || e.Level >= LogLevel.Error).ToList();
        Assert.InRange(about.Count, 2, 4);
        Assert.All(about, e => Assert.Equal((LogLevel.Warning, null), (e.Level, e.Exception)));
        Assert.Contains(about, e => e.Message.Contains("told to slow down"));
        Assert.Contains(about, e => e.Message.Contains("cut and kept out for 00:05:00"));
        await flooder.DisposeAsync();
    }

    [Fact]
    public void Each_cut_in_a_row_keeps_a_device_out_twice_as_long_up_to_a_ceiling()
    {
        var limits = new DeviceRateLimitOptions { FirstKeepOut = TimeSpan.FromSeconds(30), MaxKeepOut = TimeSpan.FromMinutes(15) };

        Assert.Equal(new double[] { 30, 60, 120, 240, 480, 900, 900 }, new[] { 1, 2, 3, 4, 5, 6, 40 }.Select(cuts => limits.KeepOutAfter(cuts).TotalSeconds));
    }
}
