using System.Diagnostics;
using FleetDashboard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Bench.Hosting;

/// <summary>
/// The bench's one server host, in a process of its own so that its memory and CPU time are its alone and it can be
/// killed and started again on the same port and file:
/// <list type="bullet">
/// <item>`serve --mode real --port P --data DIR --devices N` (B1–B4): the dashboard over SQLite in DIR, seeded once with N
/// devices whose credentials are <see cref="Credential"/> (<see cref="RealSide"/>);</item>
/// <item>`serve --mode echo --port P …`: a bare Kestrel + SignalR hub at the same path, their ceiling (<see cref="EchoSide"/>);</item>
/// <item>`serve-pages --data DIR` (B5, B7): the dashboard with the demo seed on a free port, with extra devices and the
/// bare relay on request (<see cref="PagesSide"/>).</item>
/// </list>
/// It says "ready ADDRESS", then answers on stdin: mem, count, and what its side knows (reboot; setup), until quit.
/// </summary>
public static class BenchServer
{
    /// <summary>The demo's administrator, whom the page benchmarks sign in as (<see cref="FleetServer.DemoPassword"/>).</summary>
    public const string AdminEmail = "admin@acme.test";

    /// <summary>Set (to a file) to keep the pages server's timeline of store commands and render batches there.</summary>
    public const string TimelineVariable = "FLEET_BENCH_TIMELINE";

    public static string Credential(int device) => $"bench-device-credential-{device:D6}";

    /// <summary>What a server mode serves beside the common commands.</summary>
    public interface ISide : IAsyncDisposable
    {
        Uri Address { get; }

        /// <summary>The answer to one command line (its words), or null for a command this side does not know.</summary>
        Task<string?> AnswerAsync(string[] command);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var settings = Settings(args);
        ISide side = args[0] == "serve-pages" ? PagesSide.Start(Arg("--data"), seedDemo: !args.Contains("--no-seed"), settings)
            : Arg("--mode") == "real" ? RealSide.Start(int.Parse(Arg("--port")), Arg("--data"), int.Parse(Arg("--devices")), settings)
            : await EchoSide.StartAsync(int.Parse(Arg("--port")), settings);
        BenchProcess.Say($"ready {side.Address}");
        // Runs until the bench says quit or closes our standard input.
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var command = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (command is ["quit"]) break;
            try
            {
                BenchProcess.Say(command is ["mem"] ? Memory() : await side.AnswerAsync(command) ?? $"unknown {line.Trim()}");
            }
            catch (Exception e)
            {
                BenchProcess.Say($"error {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        await side.DisposeAsync();
        return 0;
    }

    /// <summary>
    /// Every `--set key=value` of a server's command line: what makes it one node of several (the store, Redis and its
    /// prefix, <see cref="BenchStore"/> and the cluster benchmarks).
    /// </summary>
    public static Dictionary<string, string?> Settings(string[] args)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i + 1 < args.Length; i++)
            if (args[i] == "--set" && args[i + 1].Split('=', 2) is [var key, var value]) settings[key] = value;
        return settings;
    }

    /// <summary>The `--set key=value` arguments for <paramref name="settings"/>.</summary>
    public static IEnumerable<string> SetArguments(IReadOnlyDictionary<string, string> settings) =>
        settings.SelectMany(s => new[] { "--set", $"{s.Key}={s.Value}" });

    /// <summary>
    /// The dashboard as the tests host it (Development, no demo fleet), quiet: a log line per device connection
    /// would be the server's own load.
    /// </summary>
    public static FleetServer Dashboard(string data, int port, FleetSeed seed, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var quiet = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) quiet[key] = value;
        return FleetServer.Create(new FleetServerOptions { DataDirectory = data, Port = port, Seed = seed, Settings = quiet, Services = services });
    }

    /// <summary>"working-set managed-heap private-bytes" after full, blocking, compacting collections (<see cref="MemoryReading"/>).</summary>
    private static string Memory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var self = Process.GetCurrentProcess();
        return $"{self.WorkingSet64} {GC.GetTotalMemory(forceFullCollection: true)} {self.PrivateMemorySize64}";
    }
}

/// <summary>A server's answer to mem: its working set, its live managed heap and its private bytes.</summary>
public sealed record MemoryReading(long WorkingSetBytes, long ManagedBytes, long PrivateBytes)
{
    public static MemoryReading Parse(string answer) =>
        answer.Split(' ').Select(long.Parse).ToArray() is [var workingSet, var managed, var privateBytes]
            ? new MemoryReading(workingSet, managed, privateBytes)
            : throw new FormatException($"Not a memory reading: {answer}");
}
