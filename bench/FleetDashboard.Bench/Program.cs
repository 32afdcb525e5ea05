using System.Diagnostics;
using FleetDashboard.Bench;
using FleetDashboard.Bench.Curves;
using FleetDashboard.Bench.Devices;
using FleetDashboard.Bench.Hosting;
using FleetDashboard.Bench.Lists;

// dotnet run -c Release --project bench/FleetDashboard.Bench -- [--devices 10000] [--rows 100000] [--only B1,B6] [--smoke] [--views status,tag]
//     [--store Postgres] (B3 and B6 on PostgreSQL too; it and B8–B10 need deploy/local/postgres.sh and redis.sh started)
//     [--curves [--sizes 1000,5000] [--list-sizes 10000] [--out docs/benchmarks] [--redraw]]
// Prints one Markdown table of figures on stdout; progress goes to stderr. Exit code 1 when a figure misses its
// target (the smoke run only checks that every benchmark still runs: its sizes are too small to judge).
// --curves (issue 14): B1, B3, B4 at 1,000, 5,000, 10,000 and 18,000 devices (B2's restart left out), B5 at the same,
// B6 at 10,000, 100,000 and 1,000,000 rows; each figure's curve beside its ceiling drawn into --out (docs/benchmarks:
// one PNG per chart and curves.md, the numbers behind them, from curves.json). --only, --sizes (B1–B5) and --list-sizes
// (B6) narrow it: what is measured replaces the same chart and size in curves.json, the rest stays; --redraw measures
// nothing and draws again from curves.json. The smoke run draws its
// curves too (B6 at 100 and 200 rows, the rest at one size) into its temporary folder (or --out), so the plotting cannot rot.
// Sub-commands: the processes a benchmark starts for its servers and devices.
// `serve`: the dashboard or a bare echo hub for B1–B4; `serve-pages`: the dashboard for B5 and B7 (both BenchServer);
// `devices`: simulated devices; `heap AFTER [BEFORE N]`: a server's heap dump by type (HeapDiff); `shots DIR`: B7's
// pages as screenshots and HTML (PageShots).
if (args is ["serve", ..] or ["serve-pages", ..]) return await BenchServer.RunAsync(args);
if (args is ["devices", ..]) return await BenchDevices.RunAsync(args);
if (args is ["heap", ..]) return FleetDashboard.Bench.Diagnostics.HeapDiff.Run(args);
if (args is ["shots", _]) return await FleetDashboard.Bench.Pages.PageShots.RunAsync(args);

var devices = ArgValue("--devices") is { } d ? int.Parse(d) : 10_000;
var smoke = args.Contains("--smoke");
var curves = args.Contains("--curves") && !smoke;
var redraw = curves && args.Contains("--redraw");
if (smoke && ArgValue("--devices") is null) devices = 200;
int? rows = ArgValue("--rows") is { } r ? int.Parse(r) : null;
var only = ArgValue("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    ?? (curves ? ["B1", "B3", "B4", "B5", "B6"] : []);
var views = ArgValue("--views")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
var work = Path.Combine(Path.GetTempPath(), $"fleet-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
var postgres = string.Equals(ArgValue("--store"), "Postgres", StringComparison.OrdinalIgnoreCase);
var options = new BenchOptions(devices, smoke, work, views) { Only = only, Postgres = postgres, ListRows = rows, Restart = !curves };
var fleetSizes = curves ? Sizes("--sizes") ?? CurveCharts.FleetSizes : [devices];
IReadOnlyList<int?> listSizes = curves ? [.. (Sizes("--list-sizes") ?? CurveCharts.ListSizes).Select(n => (int?)n)]
    : smoke && rows is null ? [.. CurveCharts.SmokeListSizes.Select(n => (int?)n)] : [rows];

var started = DateTime.UtcNow;
var loadBefore = LoadAverage();
var figures = new List<Figure>();
var points = new List<CurveCharts.Point>();
var failed = new List<string>();
try
{
    // --redraw: the PNGs and curves.md again from curves.json, nothing measured.
    foreach (var benchmark in Benchmarks.All.Where(b => !redraw && (only.Length == 0 || b.Ids.Any(only.Contains))))
    {
        // B6 is sized by the rows of its list, the others by the devices connected.
        var runs = benchmark is DeviceListBenchmark
            ? listSizes.Select(n => (Size: n ?? (smoke ? devices : DeviceListBenchmark.FullSize), Options: options with { ListRows = n }))
            : fleetSizes.Select(n => (Size: n, Options: options with { Devices = n }));
        foreach (var (size, each) in runs)
        {
            // A folder of its own for each size: a server finds the last size's store in the same folder and keeps it.
            var sized = each with { WorkDirectory = Path.Combine(work, $"{benchmark.Ids[0]}-{size}") };
            Directory.CreateDirectory(sized.WorkDirectory);
            options.Say($"{string.Join("/", benchmark.Ids)}: starting with {size:N0} {(benchmark is DeviceListBenchmark ? "rows" : "devices")}");
            IReadOnlyList<Figure> measured;
            try
            {
                measured = await benchmark.RunAsync(sized, CancellationToken.None);
            }
            catch (Exception e) when (curves)
            {
                // One size that fails (a timeout at 18,000 on a busy machine) does not lose the other sizes' half hour.
                options.Say($"{string.Join("/", benchmark.Ids)} at {size:N0} failed, left out of the curves: {e}");
                failed.Add($"{string.Join("/", benchmark.Ids)} at {size:N0} ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
                continue;
            }
            finally
            {
                try { Directory.Delete(sized.WorkDirectory, recursive: true); } catch (IOException) { } // a million rows fill half a gigabyte
            }
            figures.AddRange(measured);
            points.AddRange(measured.SelectMany(f => f.Readings).Select(reading => new CurveCharts.Point(size, reading)));
        }
    }

    if (curves || smoke)
    {
        var folder = ArgValue("--out") ?? (curves ? Path.Combine(RepositoryRoot(), "docs", "benchmarks") : Path.Combine(work, "curves"));
        var run = new CurveCharts.Run($"{started:yyyy-MM-dd HH:mm:ss}–{DateTime.UtcNow:HH:mm:ss} UTC at {Commit()}, {Environment.ProcessorCount} cores",
            string.Join(' ', args), $"{loadBefore} at the start, {LoadAverage()} at the end", failed);
        var written = CurveCharts.Write(points, run, folder);
        if (written.Any(f => new FileInfo(f).Length == 0)) throw new InvalidOperationException("Curves: an empty file was written.");
        options.Say($"curves: {written.Count} files in {folder} ({string.Join(", ", written.Select(Path.GetFileName))})");
    }
}
finally
{
    try { Directory.Delete(work, recursive: true); } catch (IOException) { } // a server may still hold a file
}

Console.WriteLine($"| id | what | measured | target | met | ceiling | note |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
foreach (var f in figures)
    Console.WriteLine($"| {f.Id} | {f.What} | {f.Value} | {f.Target} | {(f.Met ? "yes" : "**no**")} | {f.Ceiling ?? ""} | {f.Note ?? ""} |");
var sizes = curves ? $"{string.Join(", ", fleetSizes.Select(n => n.ToString("N0")))} devices" : $"{devices:N0} devices";
Console.WriteLine($"{figures.Count} figures, {figures.Count(f => !f.Met)} missed ({sizes}{(smoke ? ", smoke" : "")}, {Environment.ProcessorCount} cores)");
// The curves measure how figures grow; a miss at one size is in their tables, not a failed run.
return failed.Count > 0 || !smoke && !curves && figures.Any(f => !f.Met) ? 1 : 0;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "FleetDashboard.sln"))) return dir.FullName;
    throw new InvalidOperationException("--curves: run from inside the repository, or give --out.");
}

static string Commit()
{
    try
    {
        using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var commit = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return git.ExitCode == 0 ? $"`{commit}`{(Dirty() ? " (with changes not committed)" : "")}" : "unknown";
    }
    catch (System.ComponentModel.Win32Exception) { return "unknown"; }
}

static bool Dirty()
{
    using var git = Process.Start(new ProcessStartInfo("git", "status --porcelain --untracked-files=no -- src bench") { RedirectStandardOutput = true })!;
    var changes = git.StandardOutput.ReadToEnd();
    git.WaitForExit();
    return changes.Length > 0;
}

IReadOnlyList<int>? Sizes(string name) => ArgValue(name)?.Split(',').Select(int.Parse).ToArray();

string? ArgValue(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
