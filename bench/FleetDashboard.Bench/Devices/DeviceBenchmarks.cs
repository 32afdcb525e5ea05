using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FleetDashboard.Bench.Hosting;

namespace FleetDashboard.Bench.Devices;

/// <summary>
/// B1–B4 in one run, first against the dashboard, then against a bare SignalR server (the ceiling), each a
/// child process (<see cref="BenchServer"/>) with the devices in two or more others (<see cref="BenchDevices"/>):
/// B1 memory per idle connection, B4 a reboot of every device, B3 reports per server CPU-second, and last B2:
/// the server killed and started again on the same port and file, until every device is Online again.
/// </summary>
public sealed class DeviceBenchmarks : IBenchmark
{
    private const int DevicesPerProcess = 5_000;

    public IReadOnlyList<string> Ids { get; } = ["B1", "B2", "B3", "B4"];

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var real = await MeasureAsync("real", BenchStore.Sqlite(), options, ct);
        Measured? postgres = null;
        if (options.Postgres)
        {
            await using var store = await BenchStore.PostgresAsync(ct);
            postgres = await MeasureAsync("real", store, options, ct);
        }
        var echo = await MeasureAsync("echo", BenchStore.Sqlite(), options, ct);
        var n = options.Devices;
        var figures = new List<Figure>
        {
            new Figure("B1", $"server memory per idle device connection (from 1 % to all of {n:N0} devices connected)",
                $"{real.WorkingSetPerConnection / 1024:F1} KB working set ({real.HeapPerConnection / 1024:F1} KB GC heap)", "≤ 40 KB",
                real.WorkingSetPerConnection <= 40 * 1024,
                $"{echo.WorkingSetPerConnection / 1024:F1} KB ({echo.HeapPerConnection / 1024:F1} KB heap); ratio {Ratio(real.WorkingSetPerConnection, echo.WorkingSetPerConnection)}")
            {
                Readings =
                [
                    new("b1-memory-per-connection", "B1: server memory per idle device connection", "working set", "KB per connection",
                        real.WorkingSetPerConnection / 1024, echo.WorkingSetPerConnection / 1024, "bare SignalR server", 40),
                    new("b1-memory-per-connection", "B1: server memory per idle device connection", "GC heap", "KB per connection",
                        real.HeapPerConnection / 1024, echo.HeapPerConnection / 1024, "bare SignalR server"),
                ],
            },
            new Figure("B2", $"{n:N0} devices reconnecting after a server restart: all Online",
                $"{real.AllBackFromLaunch.TotalSeconds:F1} s from launch ({real.AllBackFromReady.TotalSeconds:F1} s from ready; {real.Back:N0} back)",
                "≤ 30 s", real.Back == n && real.AllBackFromLaunch <= TimeSpan.FromSeconds(30),
                $"{echo.AllBackFromLaunch.TotalSeconds:F1} s ({echo.AllBackFromReady.TotalSeconds:F1} s from ready); ratio {Ratio(real.AllBackFromLaunch.TotalSeconds, echo.AllBackFromLaunch.TotalSeconds)}"),
            new Figure("B3", "device reports (1 report + heartbeats a device) processed and persisted per server CPU-second",
                $"{real.MessagesPerCpuSecond:N0} ({real.Messages:N0} in {real.MessageCpu.TotalSeconds:F2} CPU-s, {real.MessagesFailed} failed)",
                "≥ 10,000", real.MessagesPerCpuSecond >= 10_000 && real.MessagesFailed == 0,
                $"{echo.MessagesPerCpuSecond:N0}; ratio {Ratio(real.MessagesPerCpuSecond, echo.MessagesPerCpuSecond)}")
            {
                Readings =
                [
                    new("b3-reports-per-cpu-second", "B3: device reports persisted per server CPU-second", "", "reports per server CPU-second",
                        real.MessagesPerCpuSecond, echo.MessagesPerCpuSecond, "bare SignalR server", 10_000),
                ],
            },
            new Figure("B4", $"reboot of {n:N0} online devices, confirm to device",
                $"p50 {real.Latency.P50:F0} ms, p99 {real.Latency.P99:F0} ms, {real.Latency.Received:N0} received; all {real.Outcomes:N0} outcomes recorded in {real.AllRecorded.TotalSeconds:F2} s",
                "p50 ≤ 500 ms, p99 ≤ 2,000 ms; all recorded ≤ 5 s",
                real.Latency.P50 <= 500 && real.Latency.P99 <= 2000 && real.Latency.Received == n && real.Outcomes == n
                && real.AllRecorded <= TimeSpan.FromSeconds(5),
                $"p50 {echo.Latency.P50:F0} ms, p99 {echo.Latency.P99:F0} ms, all answered in {echo.AllRecorded.TotalSeconds:F2} s; ratio p99 {Ratio(real.Latency.P99, echo.Latency.P99)}")
            {
                Readings =
                [
                    new("b4-reboot-latency", "B4: reboot of every device, confirm to device", "p50", "latency (ms)",
                        real.Latency.P50, echo.Latency.P50, "bare SignalR server", 500),
                    new("b4-reboot-latency", "B4: reboot of every device, confirm to device", "p99", "latency (ms)",
                        real.Latency.P99, echo.Latency.P99, "bare SignalR server", 2_000),
                    new("b4-all-recorded", "B4: reboot of every device, confirm to all outcomes recorded", "", "time (s)",
                        real.AllRecorded.TotalSeconds, echo.AllRecorded.TotalSeconds, "bare SignalR server (all answered)", 5),
                ],
            },
        };
        if (!options.Restart) figures.RemoveAll(f => f.Id == "B2");
        if (postgres is { } pg)
        {
            // Beside SQLite in the same run: the same server and fleet over PostgreSQL (issue 13); B1, B2 and B4 as notes.
            figures.Add(new Figure("B3", "device reports processed and persisted per server CPU-second, PostgreSQL store",
                $"{pg.MessagesPerCpuSecond:N0} ({pg.Messages:N0} in {pg.MessageCpu.TotalSeconds:F2} CPU-s, {pg.MessagesFailed} failed)",
                "≥ 10,000", pg.MessagesPerCpuSecond >= 10_000 && pg.MessagesFailed == 0,
                $"SQLite {real.MessagesPerCpuSecond:N0}; bare {echo.MessagesPerCpuSecond:N0}; ratio to bare {Ratio(pg.MessagesPerCpuSecond, echo.MessagesPerCpuSecond)}",
                $"on PostgreSQL: B1 {pg.WorkingSetPerConnection / 1024:F1} KB; B2 {pg.AllBackFromLaunch.TotalSeconds:F1} s ({pg.Back:N0} back); " +
                $"B4 p50 {pg.Latency.P50:F0} ms, p99 {pg.Latency.P99:F0} ms, recorded in {pg.AllRecorded.TotalSeconds:F2} s"));
        }
        return figures;
    }

    private static string Ratio(double ours, double ceiling) =>
        ceiling > 0 ? (ours / ceiling).ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private sealed record Latencies(double P50, double P99, int Received);

    private sealed record Measured(
        double WorkingSetPerConnection, double HeapPerConnection,
        Latencies Latency, TimeSpan AllRecorded, int Outcomes,
        long Messages, long MessagesFailed, TimeSpan MessageCpu,
        TimeSpan AllBackFromLaunch, TimeSpan AllBackFromReady, int Back)
    {
        public double MessagesPerCpuSecond => MessageCpu > TimeSpan.Zero ? Messages / MessageCpu.TotalSeconds : 0;
    }

    private static async Task<Measured> MeasureAsync(string mode, BenchStore store, BenchOptions options, CancellationToken ct)
    {
        var n = options.Devices;
        var port = FreePort();
        var data = Path.Combine(options.WorkDirectory, $"{mode}-{store.Kind}");
        Directory.CreateDirectory(data);
        string[] serverArgs = ["serve", "--mode", mode, "--port", port.ToString(CultureInfo.InvariantCulture), "--data", data,
            "--devices", n.ToString(CultureInfo.InvariantCulture), .. BenchServer.SetArguments(store.Settings)];
        // As deployed: the web SDK turns server GC on for the dashboard, so both servers run with it
        // (BENCH_SERVER_GC=0: workstation GC, to compare).
        var serverEnvironment = new Dictionary<string, string> { ["DOTNET_gcServer"] = Environment.GetEnvironmentVariable("BENCH_SERVER_GC") ?? "1" };
        mode = store.IsPostgres ? $"{mode} ({store.Kind})" : mode;
        var server = await BenchProcess.StartAsync($"{mode} server", serverArgs, TimeSpan.FromMinutes(3), ct, serverEnvironment);
        var devices = new List<BenchProcess>();
        try
        {
            options.Say($"{mode}: server up on port {port}");

            var processes = Math.Max(2, (n + DevicesPerProcess - 1) / DevicesPerProcess);
            var starting = Enumerable.Range(0, processes).Select(p =>
            {
                var first = n * p / processes;
                var count = n * (p + 1) / processes - first;
                List<string> args = ["devices", "--url", $"http://127.0.0.1:{port}/", "--first", first.ToString(CultureInfo.InvariantCulture),
                    "--count", count.ToString(CultureInfo.InvariantCulture)];
                if (options.Smoke) args.Add("--quick-reconnect");
                return BenchProcess.StartAsync($"{mode} devices {p}", args, TimeSpan.FromMinutes(1), ct);
            });
            devices.AddRange(await Task.WhenAll(starting));

            // B1 is the cost of one more idle connection, so its baseline is a server that already holds a few
            // (1 %): what the first connection costs once (code loaded and compiled for the hub, the credential
            // check, the store's write path) is no device's.
            var warmEach = Math.Max(1, n / 100 / processes);
            await Task.WhenAll(devices.Select(d => d.AskAsync($"connect {warmEach}", TimeSpan.FromMinutes(1), ct)));
            var warm = warmEach * processes;
            await server.CountUntilAsync(warm, TimeSpan.FromMinutes(1), ct);
            var before = await SettledMemoryAsync(server, ct);

            var connectClock = Stopwatch.StartNew();
            var connectCpu = server.Cpu;
            var connected = await Task.WhenAll(devices.Select(d => d.AskAsync("connect", TimeSpan.FromMinutes(5), ct)));
            options.Say($"{mode}: devices say connected {string.Join(", ", connected)} in {connectClock.Elapsed.TotalSeconds:F1} s");
            await server.CountUntilAsync(n, TimeSpan.FromMinutes(2), ct);
            options.Say($"{mode}: all {n} connected after {connectClock.Elapsed.TotalSeconds:F1} s, {(server.Cpu - connectCpu).TotalSeconds:F2} server CPU-s");
            var after = await SettledMemoryAsync(server, ct);
            var perConnection = (after.WorkingSetBytes - before.WorkingSetBytes) / (double)(n - warm);
            var heapPerConnection = (after.ManagedBytes - before.ManagedBytes) / (double)(n - warm);
            options.Say($"{mode}: B1 working set {before.WorkingSetBytes / 1048576.0:F1} → {after.WorkingSetBytes / 1048576.0:F1} MB, heap {before.ManagedBytes / 1048576.0:F1} → {after.ManagedBytes / 1048576.0:F1} MB ({warm} → {n} connected)");

            // Warm: what a server that has been running a while has already compiled and cached.
            await Task.WhenAll(devices.Select(d => d.AskAsync("send 2", TimeSpan.FromMinutes(5), ct)));
            if ((await server.AskAsync("reboot", TimeSpan.FromMinutes(2), ct)).StartsWith("error", StringComparison.Ordinal))
                throw new InvalidOperationException("The warm-up reboot failed.");
            await Task.WhenAll(devices.Select(d => d.AskAsync("received", TimeSpan.FromMinutes(1), ct)));

            // B4: every device rebooted at once; each notes when the command arrived.
            var reboot = (await server.AskAsync("reboot", TimeSpan.FromMinutes(2), ct)).Split(' ');
            if (reboot[0] == "error") throw new InvalidOperationException(string.Join(' ', reboot));
            var confirm = long.Parse(reboot[0], CultureInfo.InvariantCulture);
            var allRecorded = TimeSpan.FromMilliseconds(double.Parse(reboot[1], CultureInfo.InvariantCulture));
            var outcomes = int.Parse(reboot[2], CultureInfo.InvariantCulture);
            var received = new LatencyHistogram();
            foreach (var t in (await Task.WhenAll(devices.Select(d => d.AskAsync("received", TimeSpan.FromMinutes(1), ct))))
                         .SelectMany(line => line.Split(' ')).Select(t => long.Parse(t, CultureInfo.InvariantCulture)).Where(t => t > 0))
                received.Record(TimeSpan.FromTicks(t - confirm));
            var latency = new Latencies(received.Percentile(50), received.Percentile(99), (int)received.Count);
            options.Say($"{mode}: B4 p50 {latency.P50:F0} ms, p99 {latency.P99:F0} ms, {latency.Received} received, {outcomes} outcomes ({reboot[3]} succeeded) in {allRecorded.TotalMilliseconds:F0} ms");

            // B3: a burst of reports and heartbeats; the server's CPU time over it.
            var perDevice = options.Smoke ? 3 : Math.Max(3, 30_000 / n); // some 30,000 messages
            if (!options.Smoke) await UntilQuietAsync(server, mode, options, ct);
            var cpuBefore = server.Cpu;
            var sent = await Task.WhenAll(devices.Select(d => d.AskAsync($"send {perDevice}", TimeSpan.FromMinutes(5), ct)));
            var cpu = server.Cpu - cpuBefore;
            var messages = sent.Sum(s => long.Parse(s.Split(' ')[0], CultureInfo.InvariantCulture));
            var failed = sent.Sum(s => long.Parse(s.Split(' ')[1], CultureInfo.InvariantCulture));
            options.Say($"{mode}: B3 {messages:N0} messages ({failed} failed) in {cpu.TotalSeconds:F2} server CPU-s; wall {string.Join(", ", sent.Select(s => s.Split(' ')[2] + " ms"))}");

            if (!options.Restart)
                return new Measured(perConnection, heapPerConnection, latency, allRecorded, outcomes, messages, failed, cpu, TimeSpan.Zero, TimeSpan.Zero, 0);

            // B2: the server dies and comes back on the same port and file; every device reconnects by itself.
            await server.KillAsync();
            await server.DisposeAsync();
            var launch = Stopwatch.StartNew();
            server = await BenchProcess.StartAsync($"{mode} server (restarted)", serverArgs, TimeSpan.FromMinutes(1), ct, serverEnvironment);
            var ready = launch.Elapsed;
            var back = await server.CountUntilAsync(n, TimeSpan.FromSeconds(90), ct);
            var allBack = launch.Elapsed;
            options.Say($"{mode}: B2 ready after {ready.TotalSeconds:F1} s, {back} Online after {allBack.TotalSeconds:F1} s; server CPU {server.Cpu.TotalSeconds:F1} s since launch");
            return new Measured(perConnection, heapPerConnection, latency, allRecorded, outcomes, messages, failed, cpu,
                allBack, allBack - ready, back);
        }
        finally
        {
            await Task.WhenAll(devices.Select(d => d.DisposeAsync().AsTask()));
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// Waits until the server burns less than a tenth of a core doing nothing: after the warm-up, tiered
    /// compilation recompiles the hot paths for a few seconds (seen: 0.8 CPU-s a second, then 0.03), and that
    /// belongs to no report.
    /// </summary>
    private static async Task UntilQuietAsync(BenchProcess server, string mode, BenchOptions options, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var before = server.Cpu;
            var window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var perSecond = (server.Cpu - before).TotalMilliseconds / window.Elapsed.TotalSeconds;
            if (perSecond < 100)
            {
                options.Say($"{mode}: server quiet ({perSecond:F0} ms CPU a second) after {clock.Elapsed.TotalSeconds:F0} s");
                return;
            }
        }
        options.Say($"{mode}: server never quiet within 30 s; measuring anyway");
    }

    /// <summary>Full collections until the working set holds still (within 1 %) between two readings.</summary>
    internal static async Task<MemoryReading> SettledMemoryAsync(BenchProcess server, CancellationToken ct)
    {
        MemoryReading? last = null;
        for (var i = 0; i < 10; i++)
        {
            var now = await server.MemoryAsync(ct);
            if (last is not null && Math.Abs(now.WorkingSetBytes - last.WorkingSetBytes) < last.WorkingSetBytes / 100) return now;
            last = now;
            await Task.Delay(500, ct);
        }
        return last!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
