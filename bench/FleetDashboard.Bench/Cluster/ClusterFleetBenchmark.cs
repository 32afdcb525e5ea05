using System.Diagnostics;
using System.Globalization;
using FleetDashboard.Bench.Devices;
using FleetDashboard.Bench.Hosting;

namespace FleetDashboard.Bench.Cluster;

/// <summary>
/// B8 and B9 (issue 13): a fleet spread over three dashboard nodes (PostgreSQL, Redis), beside one node with the
/// usual fleet (SQLite, no Redis: B1, B2 and B4 as issue 5 measures them) in the same run.
/// B9: a reboot of 3 × --devices (30,000) devices confirmed on the first node, most of them connected to the others:
/// from confirm to each device, and until every outcome is recorded.
/// B8: 4 × --devices (40,000), past one process's open files: memory per connection on each node, then every node
/// killed and started again at once, until every device is Online again.
/// Each beside its ceiling in the same run: as many bare SignalR nodes (`serve --mode echo`) with the Redis backplane,
/// the same devices, the same kill and restart.
/// Not in --smoke: seven nodes and tens of thousands of devices do not fit its minute.
/// </summary>
public sealed class ClusterFleetBenchmark : IBenchmark
{
    private const int Nodes = 3;

    public IReadOnlyList<string> Ids { get; } = ["B8", "B9"];

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchOptions options, CancellationToken ct)
    {
        if (options.Smoke)
        {
            options.Say("B8/B9: not in the smoke run (several nodes and tens of thousands of devices)");
            return [];
        }
        var wanted = options.Only;
        var n = options.Devices;
        var figures = new List<Figure>();
        await using (var sqlite = BenchStore.Sqlite())
        {
            var single = await MeasureAsync("one node", 1, sqlite, n, reboot: true, options, ct);
            await using (var postgres = wanted.Count == 0 || wanted.Contains("B9") ? await BenchStore.PostgresAsync(ct) : null)
            {
                if (postgres is not null)
                {
                    var cluster = await MeasureAsync("B9 cluster", Nodes, postgres, 3 * n, reboot: true, options, ct);
                    var bare = await MeasureAsync("B9 bare", Nodes, sqlite, 3 * n, reboot: true, options, ct, echo: true);
                    figures.Add(new Figure("B9", $"reboot of {3 * n:N0} devices over {Nodes} nodes confirmed on node 1, confirm to device",
                        $"p50 {cluster.P50:F0} ms, p99 {cluster.P99:F0} ms, {cluster.Received:N0} received; all {cluster.Outcomes:N0} outcomes recorded in {cluster.AllRecorded.TotalSeconds:F2} s",
                        "p99 ≤ 3,000 ms; all recorded ≤ 10 s",
                        cluster.P99 <= 3000 && cluster.Received == 3 * n && cluster.Outcomes == 3 * n && cluster.AllRecorded <= TimeSpan.FromSeconds(10),
                        $"{Nodes} bare SignalR nodes with the Redis backplane: p50 {bare.P50:F0} ms, p99 {bare.P99:F0} ms, {bare.Received:N0} received, " +
                        $"all answered in {bare.AllRecorded.TotalSeconds:F2} s; ratio p99 {cluster.P99 / bare.P99:F2}",
                        $"one node, {n:N0} devices (B4): p50 {single.P50:F0} ms, p99 {single.P99:F0} ms, recorded in {single.AllRecorded.TotalSeconds:F2} s; " +
                        $"all {3 * n:N0} Online in {cluster.Connected.TotalSeconds:F0} s; {cluster.Busy}; bare: {bare.Busy}; one node: {single.Busy}"));
                }
            }
            await using (var postgres = wanted.Count == 0 || wanted.Contains("B8") ? await BenchStore.PostgresAsync(ct) : null)
            {
                if (postgres is not null)
                {
                    var cluster = await MeasureAsync("B8 cluster", Nodes, postgres, 4 * n, reboot: false, options, ct);
                    var bare = await MeasureAsync("B8 bare", Nodes, sqlite, 4 * n, reboot: false, options, ct, echo: true);
                    figures.Add(new Figure("B8", $"memory per idle device connection, each of {Nodes} nodes ({4 * n:N0} devices spread over them)",
                        string.Join("; ", cluster.PerNode.Select((m, i) => $"node {i + 1}: {m.WorkingSet / 1024:F1} KB ({m.Heap / 1024:F1} KB heap)")),
                        "≤ 40 KB (B1's)", cluster.PerNode.All(m => m.WorkingSet <= 40 * 1024),
                        $"{Nodes} bare SignalR nodes with the Redis backplane: " +
                        string.Join("; ", bare.PerNode.Select((m, i) => $"node {i + 1}: {m.WorkingSet / 1024:F1} KB ({m.Heap / 1024:F1} KB heap)")),
                        $"one node, {n:N0} devices (B1): {single.PerNode[0].WorkingSet / 1024:F1} KB ({single.PerNode[0].Heap / 1024:F1} KB heap); " +
                        $"{cluster.Back:N0} connected at the start"));
                    figures.Add(new Figure("B8", $"all {Nodes} nodes killed and started again at once: all {4 * n:N0} devices Online",
                        $"{cluster.AllBack.TotalSeconds:F1} s from launch (nodes ready in {cluster.Ready.TotalSeconds:F1} s; {cluster.BackAfterRestart:N0} back)",
                        "≤ 60 s", cluster.BackAfterRestart == 4 * n && cluster.AllBack <= TimeSpan.FromSeconds(60),
                        $"{Nodes} bare nodes: {bare.AllBack.TotalSeconds:F1} s (ready in {bare.Ready.TotalSeconds:F1} s; {bare.BackAfterRestart:N0} back; {bare.RestartBusy})",
                        $"one node, {n:N0} devices (B2): {single.AllBack.TotalSeconds:F1} s ({single.BackAfterRestart:N0} back; {single.RestartBusy}); " +
                        $"first connection of all {4 * n:N0} took {cluster.Connected.TotalSeconds:F0} s; {cluster.RestartBusy}"));
                }
            }
        }
        return figures;
    }

    private sealed record NodeMemory(double WorkingSet, double Heap);

    private sealed record Measured(
        IReadOnlyList<NodeMemory> PerNode, TimeSpan Connected, int Back,
        double P50, double P99, int Received, int Outcomes, TimeSpan AllRecorded,
        TimeSpan Ready, TimeSpan AllBack, int BackAfterRestart, string Busy, string RestartBusy);

    private static async Task<Measured> MeasureAsync(string name, int nodeCount, BenchStore store, int n, bool reboot, BenchOptions options,
        CancellationToken ct, bool echo = false)
    {
        options.Say(echo ? $"{name}: {nodeCount} bare SignalR node(s), {n:N0} devices" : $"{name}: {nodeCount} node(s) on {store.Kind}, {n:N0} devices");
        await using var set = await BenchNodes.StartAsync(name, nodeCount, store, n, options, ct, echo);
        await set.StartDevicesAsync(n, options, ct);
        var nodes = set.Nodes;
        var devices = set.Devices;

        // As B1: a node that already holds 1 % of the devices, so that what the first connection costs once is no device's.
        var warmEach = Math.Max(1, n / 100 / devices.Count);
        await Task.WhenAll(devices.Select(d => d.AskAsync($"connect {warmEach}", TimeSpan.FromMinutes(2), ct)));
        var warm = warmEach * devices.Count;
        await nodes[0].CountUntilAsync(warm, TimeSpan.FromMinutes(1), ct);
        var before = await Task.WhenAll(nodes.Select(node => DeviceBenchmarks.SettledMemoryAsync(node, ct)));

        var clock = Stopwatch.StartNew();
        var said = await Task.WhenAll(devices.Select(d => d.AskAsync("connect", TimeSpan.FromMinutes(10), ct)));
        options.Say($"{name}: devices say connected {string.Join(", ", said)} in {clock.Elapsed.TotalSeconds:F1} s");
        var back = await nodes[0].CountUntilAsync(n, TimeSpan.FromMinutes(3), ct);
        var connected = clock.Elapsed;
        options.Say($"{name}: {back:N0} Online after {connected.TotalSeconds:F1} s");
        var after = await Task.WhenAll(nodes.Select(node => DeviceBenchmarks.SettledMemoryAsync(node, ct)));
        // Round robin: each node holds an equal share of the devices (within one).
        var perNode = before.Zip(after, (b, a) => new NodeMemory(
            (a.WorkingSetBytes - b.WorkingSetBytes) / ((n - warm) / (double)nodes.Count),
            (a.ManagedBytes - b.ManagedBytes) / ((n - warm) / (double)nodes.Count))).ToList();
        for (var i = 0; i < nodes.Count; i++)
            options.Say($"{name}: node {i + 1} working set {before[i].WorkingSetBytes / 1048576.0:F0} → {after[i].WorkingSetBytes / 1048576.0:F0} MB, " +
                $"heap {before[i].ManagedBytes / 1048576.0:F0} → {after[i].ManagedBytes / 1048576.0:F0} MB");

        double p50 = double.NaN, p99 = double.NaN;
        var received = 0;
        var outcomes = 0;
        var allRecorded = TimeSpan.Zero;
        var busy = "";
        if (reboot)
        {
            // Warm, as B4: what a node that has been running a while has already compiled and cached.
            await Task.WhenAll(devices.Select(d => d.AskAsync("send 2", TimeSpan.FromMinutes(5), ct)));
            if ((await nodes[0].AskAsync("reboot", TimeSpan.FromMinutes(3), ct)).StartsWith("error", StringComparison.Ordinal))
                throw new InvalidOperationException($"{name}: the warm-up reboot failed.");
            await Task.WhenAll(devices.Select(d => d.AskAsync("received", TimeSpan.FromMinutes(1), ct)));

            // Settled, as a node that has been running a while: the warm-up leaves seconds of work behind it (tiered
            // compilation, collections). What the machine does then with nothing asked of it (every connection's
            // keep-alives) is the floor under the figure, and is said beside it.
            var settled = await SettledCpuAsync(ct);
            options.Say($"{name}: settled, the machine is {settled.BusyShare:P0} busy with nothing asked of it");
            var cpuBefore = (Machine: MachineCpu.Read(), Nodes: nodes.Sum(x => x.Cpu.TotalSeconds), Devices: devices.Sum(x => x.Cpu.TotalSeconds));
            var answer = (await nodes[0].AskAsync("reboot", TimeSpan.FromMinutes(3), ct)).Split(' ');
            if (answer[0] == "error") throw new InvalidOperationException(string.Join(' ', answer));
            // Whether the machine itself was the limit: every process here (nodes, devices, PostgreSQL, Redis) shares its cores.
            var machine = MachineCpu.Read() - cpuBefore.Machine;
            var nodesCpu = nodes.Sum(x => x.Cpu.TotalSeconds) - cpuBefore.Nodes;
            var devicesCpu = devices.Sum(x => x.Cpu.TotalSeconds) - cpuBefore.Devices;
            busy = $"machine {settled.BusyShare:P0} busy settled, {machine.BusyShare:P0} from confirm until all recorded (nodes {nodesCpu:F1}, devices {devicesCpu:F1}, " +
                $"rest {machine.BusySeconds - nodesCpu - devicesCpu:F1} CPU-s in {machine.WallSeconds:F1} s)";
            options.Say($"{name}: from confirm until all recorded the machine's {Environment.ProcessorCount} cores were {machine.BusyShare:P0} busy " +
                $"({machine.BusySeconds:F1} CPU-s in {machine.WallSeconds:F1} s): nodes {nodesCpu:F1} s, device processes {devicesCpu:F1} s, " +
                $"the rest (PostgreSQL, Redis, the bench) {machine.BusySeconds - nodesCpu - devicesCpu:F1} s");
            var confirm = long.Parse(answer[0], CultureInfo.InvariantCulture);
            allRecorded = TimeSpan.FromMilliseconds(double.Parse(answer[1], CultureInfo.InvariantCulture));
            outcomes = int.Parse(answer[2], CultureInfo.InvariantCulture);
            var lines = await Task.WhenAll(devices.Select(d => d.AskAsync("received", TimeSpan.FromMinutes(1), ct)));
            // Device d is on node d mod the number of nodes (round robin): which node it is on, beside when it received.
            var arrivals = lines.Zip(set.DeviceRanges, (line, range) => line.Split(' ')
                    .Select((t, i) => (Node: (range.First + i) % nodeCount, Ticks: long.Parse(t, CultureInfo.InvariantCulture))))
                .SelectMany(a => a).Where(a => a.Ticks > 0)
                .Select(a => (a.Node, Ms: (a.Ticks - confirm) / (double)TimeSpan.TicksPerMillisecond)).ToList();
            var times = LatencyHistogram.Of(arrivals.Select(a => a.Ms));
            (p50, p99, received) = (times.Percentile(50), times.Percentile(99), (int)times.Count);
            options.Say($"{name}: reboot p50 {p50:F0} ms, p99 {p99:F0} ms, {received:N0} received, {outcomes:N0} outcomes ({answer[3]} succeeded) " +
                $"in {allRecorded.TotalMilliseconds:F0} ms");
            for (var node = 0; node < nodeCount && nodeCount > 1; node++)
            {
                var on = LatencyHistogram.Of(arrivals.Where(a => a.Node == node).Select(a => a.Ms));
                options.Say($"{name}: devices on node {node + 1}{(node == 0 ? " (the confirming node)" : "")}: p50 {on.Percentile(50):F0} ms, " +
                    $"p99 {on.Percentile(99):F0} ms, {on.Count:N0} received");
            }
        }

        var ready = TimeSpan.Zero;
        var allBack = TimeSpan.Zero;
        var backAfterRestart = 0;
        var restartBusy = "";
        if (!reboot || nodeCount == 1)
        {
            // Where the machine's cores went while the fleet came back: the new nodes, the devices' own retries, the rest.
            var cpuBefore = (Machine: MachineCpu.Read(), Devices: devices.Sum(x => x.Cpu.TotalSeconds));
            (var launch, ready) = await set.RestartAllAsync(ct);
            backAfterRestart = await set.Nodes[0].CountUntilAsync(n, TimeSpan.FromMinutes(3) - launch.Elapsed, ct);
            allBack = launch.Elapsed;
            var machine = MachineCpu.Read() - cpuBefore.Machine;
            var nodesCpu = set.Nodes.Sum(x => x.Cpu.TotalSeconds);
            var devicesCpu = devices.Sum(x => x.Cpu.TotalSeconds) - cpuBefore.Devices;
            restartBusy = $"machine {machine.BusyShare:P0} busy from kill until counted (nodes {nodesCpu:F0}, devices {devicesCpu:F0}, " +
                $"rest {machine.BusySeconds - nodesCpu - devicesCpu:F0} CPU-s in {machine.WallSeconds:F0} s)";
            options.Say($"{name}: restart: nodes ready after {ready.TotalSeconds:F1} s, {backAfterRestart:N0} Online after {allBack.TotalSeconds:F1} s; " +
                $"node CPU since launch {string.Join(", ", set.Nodes.Select(x => $"{x.Cpu.TotalSeconds:F0} s"))}; {restartBusy}");
        }
        return new Measured(perNode, connected, back, p50, p99, received, outcomes, allRecorded, ready, allBack, backAfterRestart, busy, restartBusy);
    }

    /// <summary>The machine's CPU over 2 s, once it is under half busy or after 40 s: whichever comes first.</summary>
    private static async Task<MachineCpu> SettledCpuAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var from = MachineCpu.Read();
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var window = MachineCpu.Read() - from;
            if (window.BusyShare < 0.5 || deadline.Elapsed > TimeSpan.FromSeconds(40)) return window;
        }
    }
}
