using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using FleetDashboard.Bench.Hosting;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace FleetDashboard.Bench.Pages;

/// <summary>
/// B5: from a device's report to the DOM of a real browser page showing that device, with the fleet online. The server
/// runs in a child process; the fleet is device rows seeded with credentials and connected by `devices` processes of at
/// most 5,000 connections each, every device beating once a minute;
/// one more device, the probe, is the bench's own SignalR connection (named so that it is first on the list). The probe
/// alternates Idle and ApplyingRelease (Online ↔ Updating); each page holds a MutationObserver that records
/// performance.timeOrigin + performance.now() when the probe's status cell changes; the bench records the wall-clock
/// time just before it sends the report (same machine, same clock).
/// Ceiling: the bare path on the same server and machine: a WebSocket message from the bench through the server to
/// a page that writes it into the DOM (see <see cref="BenchServer"/>'s /bench/relay), observed the same way.
/// </summary>
public sealed class DomLatencyBenchmark : IBenchmark
{
    private const int DevicesPerProcess = 5_000;
    private const double TargetP50Ms = 100;
    private const double TargetP99Ms = 250;
    public const string ProbeName = "aaa-probe";

    public IReadOnlyList<string> Ids { get; } = ["B5"];

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchOptions options, CancellationToken ct)
    {
        if (!BenchBrowser.Available)
        {
            options.Say("B5: skipped, no /usr/bin/chromium");
            return [];
        }
        var samples = options.Smoke ? 3 : 100;
        var warmUp = options.Smoke ? 1 : 3;
        var fleetSize = options.Devices;
        await using var server = await PagesSide.StartProcessAsync(Path.Combine(options.WorkDirectory, "b5"), ct);
        var address = server.Address!;
        var setup = await PagesSide.SetupAsync(server, fleetSize, ct, connectable: true);
        var before = await server.CountAsync(ct);

        var devices = new List<BenchProcess>();
        try
        {
            var started = Stopwatch.StartNew();
            var processes = (fleetSize + DevicesPerProcess - 1) / DevicesPerProcess;
            devices.AddRange(await Task.WhenAll(Enumerable.Range(0, processes).Select(p =>
            {
                var first = fleetSize * p / processes;
                var count = fleetSize * (p + 1) / processes - first;
                // An idle fleet of agents beats once a minute: that is the background the probe reports through.
                return BenchProcess.StartAsync($"B5 devices {p}",
                    ["devices", "--url", address.ToString(), "--first", $"{first}", "--count", $"{count}", "--heartbeat", "60"],
                    TimeSpan.FromMinutes(1), ct);
            })));
            await Task.WhenAll(devices.Select(d => d.AskAsync("connect", TimeSpan.FromMinutes(5), ct)));
            // A device is Online once the store has its connection, a moment after its handshake.
            var connected = await server.CountUntilAsync(before + fleetSize, TimeSpan.FromMinutes(2) - started.Elapsed, ct) - before;
            options.Say($"B5: {connected:N0} of {fleetSize:N0} devices online after {started.Elapsed.TotalSeconds:0.0} s ({processes} device processes)");

            await using var probe = await Probe.ConnectAsync(address, setup.ProvisioningKey, ct);
            await using var browser = await BenchBrowser.LaunchAsync(address);
            var (pages, sender) = await OpenPagesAsync(browser, address, setup, ct);
            using var _ = sender;
            var latencies = await SampleAsync(pages, probe, sender, samples, warmUp, "B5", options, ct);

            var bare = Stats(latencies["bare relay"]);
            options.Say($"B5 bare relay: p50 {bare.P50:0.0} ms, p99 {bare.P99:0.0} ms");
            var figures = new List<Figure>();
            foreach (var name in new[] { "application summary list", "wall screen" })
            {
                var s = Stats(latencies[name]);
                options.Say($"B5 {name}: p50 {s.P50:0.0} ms, p99 {s.P99:0.0} ms, max {s.Max:0.0} ms");
                figures.Add(new Figure("B5", $"device report → DOM, {name}, {connected:N0} devices online",
                    $"p50 {s.P50:0} ms, p99 {s.P99:0} ms", $"p50 ≤ {TargetP50Ms:0} ms, p99 ≤ {TargetP99Ms:0} ms",
                    s.P50 <= TargetP50Ms && s.P99 <= TargetP99Ms,
                    $"bare WebSocket→DOM p50 {bare.P50:0.0} ms, p99 {bare.P99:0.0} ms",
                    $"{latencies[name].Count} samples")
                {
                    Readings =
                    [
                        new($"b5-{(name == "wall screen" ? "wall-screen" : "summary-list")}", $"B5: device report → DOM, {name}", "p50",
                            "latency (ms)", s.P50, bare.P50, "bare WebSocket→DOM relay", TargetP50Ms),
                        new($"b5-{(name == "wall screen" ? "wall-screen" : "summary-list")}", $"B5: device report → DOM, {name}", "p99",
                            "latency (ms)", s.P99, bare.P99, "bare WebSocket→DOM relay", TargetP99Ms),
                    ],
                });
            }
            return figures;
        }
        finally
        {
            await Task.WhenAll(devices.Select(d => d.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// Signed in as the demo's administrator on <paramref name="address"/>: the application's summary list and its wall
    /// screen, each observing the probe's status, and the bare relay page with the socket that feeds it.
    /// </summary>
    internal static async Task<((string Name, IPage Page)[] Pages, ClientWebSocket Sender)> OpenPagesAsync(BenchBrowser browser, Uri address,
        SetupReply setup, CancellationToken ct)
    {
        var list = await browser.SignInAsync(BenchServer.AdminEmail, FleetServer.DemoPassword);
        await list.GotoAsync($"applications/{setup.ApplicationId}");
        await BenchBrowser.WaitForCircuitAsync(list);
        var probeLink = list.Locator("a.fleet-device-link", new() { HasTextString = ProbeName });
        await probeLink.WaitForAsync();
        var probeId = int.Parse((await probeLink.GetAttributeAsync("href"))!.Split('/').Last());
        await Observe(list, $"[...document.querySelectorAll('a.fleet-device-link')].find(a => a.textContent === '{ProbeName}')" +
            "?.closest('tr')?.querySelector('.fleet-device-status')");

        var wall = await browser.Context.NewPageAsync();
        await wall.GotoAsync($"wall/{setup.WallToken}");
        await BenchBrowser.WaitForCircuitAsync(wall);
        await wall.Locator($".wall-cell[data-device='{probeId}']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Observe(wall, $"document.querySelector(\".wall-cell[data-device='{probeId}']\")");

        var relay = await browser.Context.NewPageAsync();
        await relay.GotoAsync("bench/relay/page");
        await relay.Locator("#relay[data-open]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Observe(relay, "document.getElementById('relay')");
        var sender = new ClientWebSocket();
        await sender.ConnectAsync(new Uri(new Uri(address.ToString().Replace("http", "ws")), "bench/relay/send"), ct);
        return ([("application summary list", list), ("wall screen", wall), ("bare relay", relay)], sender);
    }

    /// <summary>
    /// <paramref name="samples"/> reports of the probe (after <paramref name="warmUp"/> unmeasured ones), each with a relay
    /// message beside it: for each page (the one named "bare relay" timed from the relay message), the latencies in ms.
    /// </summary>
    internal static async Task<Dictionary<string, LatencyHistogram>> SampleAsync((string Name, IPage Page)[] pages, Probe probe, ClientWebSocket sender,
        int samples, int warmUp, string id, BenchOptions options, CancellationToken ct)
    {
        var latencies = pages.ToDictionary(p => p.Name, _ => new LatencyHistogram());
        var pace = new Random(5);
        for (var i = 0; i < samples + warmUp; i++)
        {
            var counts = new Dictionary<string, int>();
            foreach (var (name, page) in pages) counts[name] = await page.EvaluateAsync<int>("window.__b5.length");

            if (Environment.GetEnvironmentVariable(BenchServer.TimelineVariable) is not null)
                options.Say($"{id} sample {i}: report sent at {DateTime.UtcNow:HH:mm:ss.fff}");
            var sentAt = EpochMs();
            await probe.ReportAsync(working: i % 2 == 0, ct);
            var relaySentAt = EpochMs();
            await sender.SendAsync(Encoding.UTF8.GetBytes($"sample {i}"), WebSocketMessageType.Text, true, ct);

            foreach (var (name, page) in pages)
            {
                await page.WaitForFunctionAsync("n => window.__b5.length > n", counts[name],
                    new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 5 });
                var at = await page.EvaluateAsync<double>("window.__b5[window.__b5.length - 1]");
                var latency = at - (name == "bare relay" ? relaySentAt : sentAt);
                if (i >= warmUp) latencies[name].Record(latency); // the first few warm the paths up
                if (Environment.GetEnvironmentVariable(BenchServer.TimelineVariable) is not null) options.Say($"{id} sample {i}: {name} {latency:0.0} ms");
            }
            // Spread the samples over the feed's 100 ms window and the wall's 250 ms pace: a pause, not a wait for anything.
            await Task.Delay(options.Smoke ? 150 : 200 + pace.Next(0, 200), ct);
        }
        return latencies;
    }

    /// <summary>Records, in window.__b5, the time of every change of what <paramref name="find"/> finds (class and text).</summary>
    internal static Task Observe(IPage page, string find) => page.EvaluateAsync($$"""
        () => {
            window.__b5 = [];
            const find = () => {{find}};
            const read = () => { const e = find(); return e ? e.className + '|' + e.textContent : ''; };
            let last = read();
            new MutationObserver(() => {
                const now = performance.timeOrigin + performance.now();
                const value = read();
                if (value !== last) { last = value; window.__b5.push(now); }
            }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        }
        """);

    private static double EpochMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    internal static (double P50, double P99, double Max) Stats(LatencyHistogram latencies) =>
        (latencies.Percentile(50), latencies.Percentile(99), latencies.Max);

    /// <summary>One device held by the bench itself: registered with a name, connected, reporting when told.</summary>
    internal sealed class Probe(HubConnection connection, string credential) : IAsyncDisposable
    {
        private HubConnection _connection = connection;

        public static async Task<Probe> ConnectAsync(Uri server, string key, CancellationToken ct)
        {
            using var http = new HttpClient { BaseAddress = server };
            var register = await http.PostAsJsonAsync(DeviceProtocol.RegisterPath.TrimStart('/'),
                new RegisterRequest(DeviceProtocol.Version, key, "raspberrypi4-64", ProbeName, "2.13.1", "1.4.2"), ct);
            register.EnsureSuccessStatusCode();
            var identity = (await register.Content.ReadFromJsonAsync<RegisterResponse>(ct))!;
            var probe = new Probe(await OpenAsync(server, identity.Credential, ct), identity.Credential);
            await probe.ReportAsync(working: false, ct);
            return probe;
        }

        /// <summary>The same device, disconnected from its node and connected to <paramref name="server"/> (another node).</summary>
        public async Task MoveToAsync(Uri server, CancellationToken ct)
        {
            await _connection.DisposeAsync();
            _connection = await OpenAsync(server, credential, ct);
            await ReportAsync(working: false, ct);
        }

        private static async Task<HubConnection> OpenAsync(Uri server, string credential, CancellationToken ct)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(server, DeviceProtocol.HubPath.TrimStart('/')), o =>
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(credential);
                    o.Transports = HttpTransportType.WebSockets;
                })
                .Build();
            connection.On(DeviceProtocol.TargetStateChanged, () => Task.CompletedTask);
            await connection.StartAsync(ct);
            return connection;
        }

        public Task ReportAsync(bool working, CancellationToken ct) =>
            _connection.InvokeAsync(DeviceProtocol.Report, new DeviceReport(DeviceProtocol.Version, "2.13.1", "1.4.2", null,
                ["10.9.9.9"], false, working ? DeviceProgress.ApplyingRelease : DeviceProgress.Idle, working ? 10 : null), ct);

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
