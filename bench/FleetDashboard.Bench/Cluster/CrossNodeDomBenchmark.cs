using FleetDashboard.Bench.Hosting;
using FleetDashboard.Bench.Pages;

namespace FleetDashboard.Bench.Cluster;

/// <summary>
/// B10 (issue 13): a device's report to the DOM of a page open on ANOTHER node. Two dashboard nodes (`serve-pages`, one
/// PostgreSQL database, Redis under a prefix of this run); node A seeds the demo and serves the pages (the application's
/// summary list and its wall screen, in Chromium, as B5 opens them); the probe device registers and connects on node B,
/// so its report reaches A's pages through Redis (the live feed's relay). Measured as B5 measures (a MutationObserver
/// on each page, the same clock). Beside it in the same run: the probe moved to node A (the same two nodes, store and
/// Redis, no hop between nodes), and the bare WebSocket→DOM relay on node A (the ceiling). B5 itself is one node over
/// SQLite with a full fleet: `--only B5,B10` puts both in one run. No fleet beside the probe here but the demo's.
/// </summary>
public sealed class CrossNodeDomBenchmark : IBenchmark
{
    private const double TargetP50Ms = 150;
    private const double TargetP99Ms = 400;

    public IReadOnlyList<string> Ids { get; } = ["B10"];

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchOptions options, CancellationToken ct)
    {
        if (options.Smoke)
        {
            options.Say("B10: not in the smoke run (two nodes, PostgreSQL and Redis)");
            return [];
        }
        if (!BenchBrowser.Available)
        {
            options.Say("B10: skipped, no /usr/bin/chromium");
            return [];
        }
        await using var store = await BenchStore.PostgresAsync(ct);
        var data = Path.Combine(options.WorkDirectory, "b10");
        Directory.CreateDirectory(data);
        var prefix = $"fleet-bench-{Guid.NewGuid():N}";
        try
        {
            return await MeasureAsync(store, data, prefix, options, ct);
        }
        finally
        {
            await BenchNodes.ForgetRedisKeysAsync(prefix);
        }
    }

    private static async Task<IReadOnlyList<Figure>> MeasureAsync(BenchStore store, string data, string prefix, BenchOptions options, CancellationToken ct)
    {
        const int samples = 100;
        const int warmUp = 10; // the first reports through a node's relay warm its paths (seen: 900 ms)
        var settings = new Dictionary<string, string>(store.Settings) { ["Fleet:Redis"] = BenchNodes.SharedRedis, ["Fleet:RedisPrefix"] = prefix };
        var set = BenchServer.SetArguments(settings).ToList();
        await using var pagesNode = await PagesSide.StartProcessAsync("B10 node A", data, set, ct);
        await using var deviceNode = await PagesSide.StartProcessAsync("B10 node B", data, ["--no-seed", .. set], ct);
        var setup = await PagesSide.SetupAsync(pagesNode, 0, ct);
        options.Say($"B10: pages on node A {pagesNode.Address}, the probe on node B {deviceNode.Address}");

        await using var probe = await DomLatencyBenchmark.Probe.ConnectAsync(deviceNode.Address!, setup.ProvisioningKey, ct);
        await using var browser = await BenchBrowser.LaunchAsync(pagesNode.Address!);
        var (pages, sender) = await DomLatencyBenchmark.OpenPagesAsync(browser, pagesNode.Address!, setup, ct);
        using var _ = sender;

        var across = await DomLatencyBenchmark.SampleAsync(pages, probe, sender, samples, warmUp, "B10 across", options, ct);
        await probe.MoveToAsync(pagesNode.Address!, ct);
        var same = await DomLatencyBenchmark.SampleAsync(pages, probe, sender, samples, warmUp, "B10 same node", options, ct);

        // The bare relay of each phase beside it: a stall of the machine shows in both.
        var bareAcross = DomLatencyBenchmark.Stats(across["bare relay"]);
        var bare = DomLatencyBenchmark.Stats(same["bare relay"]);
        var figures = new List<Figure>();
        foreach (var name in new[] { "application summary list", "wall screen" })
        {
            var a = DomLatencyBenchmark.Stats(across[name]);
            var s = DomLatencyBenchmark.Stats(same[name]);
            options.Say($"B10 {name}: across nodes p50 {a.P50:0.0} ms, p99 {a.P99:0.0} ms, max {a.Max:0.0} ms; " +
                $"same node p50 {s.P50:0.0} ms, p99 {s.P99:0.0} ms; bare beside across p50 {bareAcross.P50:0.0} ms, p99 {bareAcross.P99:0.0} ms, " +
                $"beside same node p50 {bare.P50:0.0} ms, p99 {bare.P99:0.0} ms");
            figures.Add(new Figure("B10", $"device report on node B → DOM of a page on node A, {name}",
                $"p50 {a.P50:0} ms, p99 {a.P99:0} ms", $"p50 ≤ {TargetP50Ms:0} ms, p99 ≤ {TargetP99Ms:0} ms",
                a.P50 <= TargetP50Ms && a.P99 <= TargetP99Ms,
                $"same node p50 {s.P50:0} ms, p99 {s.P99:0} ms; bare WebSocket→DOM beside across p50 {bareAcross.P50:0.0} ms, p99 {bareAcross.P99:0.0} ms, " +
                $"beside same node p50 {bare.P50:0.0} ms, p99 {bare.P99:0.0} ms",
                $"{across[name].Count} samples each; PostgreSQL, Redis, demo fleet only"));
        }
        return figures;
    }
}
