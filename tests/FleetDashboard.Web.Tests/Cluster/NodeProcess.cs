using System.Diagnostics;
using System.Text;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// A dashboard node as a process of its own (the built FleetDashboard.Web.dll under <c>dotnet</c>), so that a test can
/// kill it as a machine dies: <see cref="Kill"/> is SIGKILL, nothing runs after it. Its settings come as environment
/// variables, as a deployment gives them; its output goes to <see cref="LogPath"/>, kept for a failure's reader.
/// Disposing it kills it if it still runs: a test never leaves a node behind.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    /// <summary>
    /// A node starts in a few seconds on a quiet machine; three at once, beside builds and benchmarks on two shared cores,
    /// once took more than a minute before their first line.
    /// </summary>
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(150);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StreamWriter _log;

    private NodeProcess(string name, int port, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        DataDirectory = Path.Combine(Path.GetTempPath(), "fleet-tests", $"node-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(DataDirectory);
        LogPath = Path.Combine(Path.GetTempPath(), "fleet-tests", "node-logs", $"{name}-{DateTime.UtcNow:HHmmss}-{port}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        _log = new StreamWriter(LogPath) { AutoFlush = true };

        var start = new ProcessStartInfo("dotnet")
        {
            // The web project's folder is its content root: appsettings.json and the static assets are found there.
            WorkingDirectory = WebProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(WebProject, "bin", BuildConfiguration, "net10.0", "FleetDashboard.Web.dll"), "--urls", BaseAddress.ToString().TrimEnd('/') })
            start.ArgumentList.Add(argument);
        // Production, as a node runs; nothing of the demo, and none of the test runner's own settings.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("FLEET_TEST_STORE");
        start.Environment["Fleet__SeedDemo"] = "false";
        start.Environment["Fleet__DemoFleet__Enabled"] = "false";
        start.Environment["Fleet__DataDirectory"] = DataDirectory;
        start.Environment["Fleet__SignInThrottle__PermitLimit"] = "100000";
        // Three nodes and the test host share two cores: the workstation collector and no tiered PGO start a node sooner.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        // Every statement at Information would bury what a failure's reader looks for.
        start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        foreach (var (key, value) in settings) start.Environment[key] = value;

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
    }

    public string Name { get; }
    public Uri BaseAddress { get; }
    public string DataDirectory { get; }

    /// <summary>Everything the node wrote, kept after the test for whoever reads a failure.</summary>
    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the node has written so far (standard output and error, in order).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts a node on a free loopback port and waits until its /readyz answers (its store reached and migrated).</summary>
    public static async Task<NodeProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings)
    {
        var node = new NodeProcess(name, ClusterNodes.FreePort(), settings);
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        try
        {
            await node.WaitReadyAsync();
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    /// <summary>SIGKILL: the node stops where it stands (its whole process tree), as when its machine dies.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        Keep($"[test] node {Name} killed (SIGKILL)");
    }

    /// <summary>SIGTERM, then waits for the node to finish its graceful stop.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await term.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(45));
    }

    /// <summary>Says where the node's output is, for the message of a wait that failed.</summary>
    public override string ToString() => $"node {Name} ({BaseAddress}, output in {LogPath})";

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await Wait.UntilAsync(async () =>
            {
                // A process that exited will never be ready: fail at once, with what it said.
                if (_process.HasExited) throw new InvalidOperationException($"{this} exited before it was ready:\n{Tail()}");
                try
                {
                    return (await http.GetAsync("readyz")).IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false; // not listening yet
                }
            }, $"{this} to be ready", ReadyLimit, TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{this} was not ready within {ReadyLimit.TotalSeconds:0} s:\n{Tail()}");
        }
    }

    private string Tail()
    {
        var output = Output;
        return output.Length > 4000 ? output[^4000..] : output;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            _log.WriteLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
        lock (_output) _log.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }

    private static string WebProject { get; } = Path.Combine(
        Web.Hosting.FleetHostExtensions.FindSolutionDirectory(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("The tests run outside the repository: no FleetDashboard.sln above them."),
        "src", "FleetDashboard.Web");

    /// <summary>Debug or Release: the one the tests themselves were built in (bin/CONFIGURATION/net10.0/).</summary>
    private static string BuildConfiguration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
