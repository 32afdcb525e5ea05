using System.Diagnostics;

namespace FleetDashboard.Bench.Devices;

/// <summary>
/// A sub-command of this program in a process of its own (a server to weigh and restart, or a share of the
/// devices): one command a line on its stdin, one answer a line on its stdout. Its stderr is passed on.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ChildProcess(Process process) => _process = process;

    public Process Process => _process;

    public static async Task<ChildProcess> StartAsync(string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment,
        TimeSpan readyWithin, CancellationToken ct)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) Console.Error.WriteLine($"    [{name}] {e.Data}");
        };
        process.BeginErrorReadLine();
        var child = new ChildProcess(process);
        var ready = await child.ReadAsync(readyWithin, ct);
        if (ready != "ready") throw new InvalidOperationException($"{name} said \"{ready}\" instead of ready.");
        return child;
    }

    /// <summary>Sends one command and waits for its one-line answer.</summary>
    public async Task<string> AskAsync(string command, TimeSpan within, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync(ct);
            return await ReadAsync(within, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> ReadAsync(TimeSpan within, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        while (true)
        {
            // Answers start with "@ "; anything else on stdout (a log line) is only passed on.
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
                       ?? throw new InvalidOperationException($"The child process ended (exit {(_process.HasExited ? _process.ExitCode : -1)}).");
            if (line.StartsWith(Answer, StringComparison.Ordinal)) return line[Answer.Length..];
            Console.Error.WriteLine($"    {line}");
        }
    }

    public const string Answer = "@ ";

    /// <summary>For the child's side: one answer line.</summary>
    public static void Say(string answer)
    {
        Console.Out.WriteLine(Answer + answer);
        Console.Out.Flush();
    }

    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Ends the process at once, as a crash or a power cut would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("quit");
                await _process.StandardInput.FlushAsync();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try { await _process.WaitForExitAsync(wait.Token); }
                catch (OperationCanceledException) { }
            }
        }
        catch (IOException) { }
        await KillAsync();
        _process.Dispose();
    }
}
