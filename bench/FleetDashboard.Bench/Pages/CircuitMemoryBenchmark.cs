using FleetDashboard.Bench.Hosting;
using FleetDashboard.Testing;
using Microsoft.Playwright;

namespace FleetDashboard.Bench.Pages;

/// <summary>
/// B7: the server's memory per open circuit, for the application summary page and for a wall screen. The server runs
/// in a child process (<see cref="BenchServer"/>); Chromium opens N pages of each kind one kind after another, all left
/// open, and the server's live managed heap after a full GC is read before and after each kind: the delta over N.
/// Ceiling: the same for an interactive page with nothing on it (the not-found page in the app's layout).
/// One page of each kind is opened first and left open, so that one-time costs (JIT, caches) are not counted.
/// </summary>
public sealed class CircuitMemoryBenchmark : IBenchmark
{
    private const double SummaryTargetKb = 300;
    private const double WallTargetKb = 1024;

    public IReadOnlyList<string> Ids { get; } = ["B7"];

    private sealed record Kind(string Name, string Url, string Ready);

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchOptions options, CancellationToken ct)
    {
        if (!BenchBrowser.Available)
        {
            options.Say("B7: skipped, no /usr/bin/chromium");
            return [];
        }
        var perKind = options.Smoke ? 1 : 10;
        var wallDevices = options.Devices;
        await using var server = await PagesSide.StartProcessAsync(Path.Combine(options.WorkDirectory, "b7"), ct);
        // The demo's kiosk fleet has 20 devices; the wall shows the fleet the bench is sized for.
        var setup = await PagesSide.SetupAsync(server, Math.Max(0, wallDevices - 20), ct);
        options.Say($"B7: server process {server.Id} at {server.Address}, kiosk-fleet with {wallDevices:N0} devices");

        await using var browser = await BenchBrowser.LaunchAsync(server.Address!);
        await browser.SignInAsync(BenchServer.AdminEmail, FleetServer.DemoPassword);

        Kind[] kinds =
        [
            new("empty interactive page", "bench-no-such-page", "#interactive-ready"),
            new("application summary", $"applications/{setup.ApplicationId}", ".fleet-device-status"),
            new("wall screen", $"wall/{setup.WallToken}", "#wall-screen"),
        ];
        if (!options.Smoke) foreach (var kind in kinds) await OpenAsync(browser, kind); // warm-up, left open

        var deltas = new Dictionary<string, (double ManagedKb, double WorkingSetKb)>();
        var before = await SettledAsync(server, ct);
        foreach (var kind in kinds)
        {
            if (Environment.GetEnvironmentVariable(GcDumpVariable) is { } dir) Dump(server.Id, Path.Combine(dir, $"before-{kind.Name.Replace(' ', '-')}.gcdump"));
            var count = kind.Name == "wall screen" && !options.Smoke ? Math.Max(2, perKind / 2) : perKind;
            for (var i = 0; i < count; i++) await OpenAsync(browser, kind);
            var after = await SettledAsync(server, ct);
            var managed = (after.ManagedBytes - before.ManagedBytes) / 1024.0 / count;
            var workingSet = (after.WorkingSetBytes - before.WorkingSetBytes) / 1024.0 / count;
            deltas[kind.Name] = (managed, workingSet);
            options.Say($"B7 {kind.Name}: {count} circuits, managed heap +{managed:N0} KB each, working set +{workingSet:N0} KB each " +
                $"(heap {after.ManagedBytes / 1048576.0:0.0} MB)");
            before = after;
        }

        var empty = deltas["empty interactive page"];
        string Ceiling(double kb) => $"empty page {empty.ManagedKb:N0} KB (×{kb / empty.ManagedKb:0.0})";
        var summary = deltas["application summary"];
        var wall = deltas["wall screen"];
        return
        [
            new("B7", "memory per application summary circuit (live managed heap after GC)", $"{summary.ManagedKb:N0} KB",
                $"≤ {SummaryTargetKb:0} KB", summary.ManagedKb <= SummaryTargetKb, Ceiling(summary.ManagedKb),
                $"{perKind} circuits; working set +{summary.WorkingSetKb:N0} KB each"),
            new("B7", $"memory per wall screen ({wallDevices:N0} devices)", $"{wall.ManagedKb:N0} KB",
                $"≤ {WallTargetKb:0} KB", wall.ManagedKb <= WallTargetKb, Ceiling(wall.ManagedKb),
                $"working set +{wall.WorkingSetKb:N0} KB each"),
        ];
    }

    /// <summary>Set to a folder to keep a heap dump of the server before each kind's pages (dotnet-gcdump on PATH).</summary>
    public const string GcDumpVariable = "FLEET_BENCH_GCDUMP";

    private static void Dump(int pid, string path)
    {
        using var dump = System.Diagnostics.Process.Start("dotnet-gcdump", ["collect", "-p", pid.ToString(), "-o", path]);
        dump.WaitForExit();
    }

    private static async Task OpenAsync(BenchBrowser browser, Kind kind)
    {
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(kind.Url);
        await BenchBrowser.WaitForCircuitAsync(page);
        await page.Locator(kind.Ready).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    /// <summary>Reads until two readings in a row agree within 100 KB (a circuit may still be finishing its first renders).</summary>
    private static async Task<MemoryReading> SettledAsync(BenchProcess server, CancellationToken ct)
    {
        var last = await server.MemoryAsync(ct);
        for (var i = 0; i < 10; i++)
        {
            var next = await server.MemoryAsync(ct);
            if (Math.Abs(next.ManagedBytes - last.ManagedBytes) <= 100 * 1024) return next;
            last = next;
        }
        return last;
    }
}
