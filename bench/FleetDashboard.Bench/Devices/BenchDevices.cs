using System.Diagnostics;
using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Bench.Hosting;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace FleetDashboard.Bench.Devices;

/// <summary>
/// `devices --url U --first F --count C`: C bare device connections in this process, devices F … F+C−1 with
/// <see cref="BenchServer.Credential"/>; with --url U1,U2,U3 (several nodes) device d goes to U(d mod 3), round robin, reconnecting as the agent does (<see cref="ReconnectBackoff"/>).
/// They answer every action at once and note when it arrived. Commands on stdin: connect [N], count,
/// send K (each device sends one report and K−1 heartbeats, one after another), received, quit.
/// With --heartbeat S, every connected device also sends a heartbeat every S seconds, spread over the period,
/// as an idle fleet of agents does (B5's background).
/// </summary>
public static class BenchDevices
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var hubs = Arg("--url").Split(',').Select(url => new Uri(new Uri(url), DeviceProtocol.HubPath)).ToArray();
        var first = int.Parse(Arg("--first"));
        var count = int.Parse(Arg("--count"));
        var received = new long[count];
        // The agent's own back-off; the smoke run's is ten times quicker, for time, not for figures.
        var backoff = new ReconnectBackoff(args.Contains("--quick-reconnect") ? new SimulationOptions { TimeFactor = 10 } : new SimulationOptions());
        var connections = Enumerable.Range(0, count).Select(i =>
        {
            var credential = BenchServer.Credential(first + i);
            var connection = new HubConnectionBuilder()
                .WithUrl(hubs[(first + i) % hubs.Length], o =>
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(credential);
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true; // as the agent does: one socket a device
                })
                .WithAutomaticReconnect(backoff)
                .Build();
            var index = i;
            connection.On<ActionCommand, ActionResult>(DeviceProtocol.RunAction, _ =>
            {
                received[index] = DateTime.UtcNow.Ticks;
                return ActionResult.Succeeded;
            });
            return connection;
        }).ToArray();
        if (Array.IndexOf(args, "--heartbeat") >= 0)
        {
            var period = TimeSpan.FromSeconds(double.Parse(Arg("--heartbeat")));
            foreach (var (connection, i) in connections.Select((c, i) => (c, i)))
                _ = BeatAsync(connection, period, period * i / count);
        }
        BenchProcess.Say("ready");

        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Trim().Split(' ');
            if (words[0] == "quit") break;
            switch (words[0])
            {
                case "connect": // connect [n]: the first n devices not connected yet, or all of them
                    var clock = Stopwatch.StartNew();
                    var toConnect = connections.Where(c => c.State == HubConnectionState.Disconnected)
                        .Take(words.Length > 1 ? int.Parse(words[1]) : count);
                    await Parallel.ForEachAsync(toConnect, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) =>
                    {
                        // The first connection is the bench's to retry: automatic reconnection starts only after one.
                        for (var attempt = 0; ; attempt++)
                        {
                            try
                            {
                                await c.StartAsync();
                                return;
                            }
                            catch (Exception) when (attempt < 20)
                            {
                                await Task.Delay(backoff.DelayAfter(attempt));
                            }
                        }
                    });
                    BenchProcess.Say($"{connections.Count(c => c.State == HubConnectionState.Connected)} {clock.ElapsedMilliseconds}");
                    break;
                case "count":
                    BenchProcess.Say(connections.Count(c => c.State == HubConnectionState.Connected).ToString());
                    break;
                case "send":
                    var messages = int.Parse(words[1]);
                    var report = new DeviceReport(DeviceProtocol.Version, "2.13.1", "1.4.2", null, ["10.0.0.2"], false, DeviceProgress.Idle, null);
                    var failed = 0;
                    var sending = Stopwatch.StartNew();
                    await Task.WhenAll(connections.Select(async c =>
                    {
                        for (var m = 0; m < messages; m++)
                        {
                            try
                            {
                                if (m == 0) await c.InvokeAsync(DeviceProtocol.Report, report);
                                else await c.InvokeAsync(DeviceProtocol.Heartbeat);
                            }
                            catch (Exception)
                            {
                                Interlocked.Increment(ref failed);
                            }
                        }
                    }));
                    BenchProcess.Say($"{count * messages - failed} {failed} {sending.ElapsedMilliseconds}");
                    break;
                case "received":
                    BenchProcess.Say(string.Join(' ', received));
                    Array.Clear(received);
                    break;
                default:
                    BenchProcess.Say($"unknown {words[0]}");
                    break;
            }
        }
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());
        return 0;
    }

    private static async Task BeatAsync(HubConnection connection, TimeSpan period, TimeSpan offset)
    {
        await Task.Delay(offset);
        using var timer = new PeriodicTimer(period);
        do
        {
            if (connection.State != HubConnectionState.Connected) continue;
            try
            {
                await connection.InvokeAsync(DeviceProtocol.Heartbeat);
            }
            catch (Exception)
            {
                // A heartbeat lost to a reconnection is the agent's everyday life too.
            }
        }
        while (await timer.WaitForNextTickAsync());
    }
}
