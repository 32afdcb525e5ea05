using FleetDashboard.Bench;
using FleetDashboard.Bench.Devices;
using FleetDashboard.Bench.Hosting;

// dotnet run -c Release --project bench/FleetDashboard.Bench -- [--devices 10000] [--only B1,B6] [--smoke] [--views status,tag]
//     [--store Postgres] (B3 and B6 on PostgreSQL too; it and B8–B10 need deploy/local/postgres.sh and redis.sh started)
// Prints one Markdown table of figures on stdout; progress goes to stderr. Exit code 1 when a figure misses its
// target (the smoke run only checks that every benchmark still runs: its sizes are too small to judge).
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
if (smoke && ArgValue("--devices") is null) devices = 200;
var only = ArgValue("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
var views = ArgValue("--views")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
var work = Path.Combine(Path.GetTempPath(), $"fleet-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
var postgres = string.Equals(ArgValue("--store"), "Postgres", StringComparison.OrdinalIgnoreCase);
var options = new BenchOptions(devices, smoke, work, views) { Only = only, Postgres = postgres };

var figures = new List<Figure>();
try
{
    foreach (var benchmark in Benchmarks.All.Where(b => only.Length == 0 || b.Ids.Any(only.Contains)))
    {
        options.Say($"{string.Join("/", benchmark.Ids)}: starting with {devices:N0} devices");
        figures.AddRange(await benchmark.RunAsync(options, CancellationToken.None));
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
Console.WriteLine($"{figures.Count} figures, {figures.Count(f => !f.Met)} missed ({devices:N0} devices{(smoke ? ", smoke" : "")}, {Environment.ProcessorCount} cores)");
return !smoke && figures.Any(f => !f.Met) ? 1 : 0;

string? ArgValue(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
