using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using FleetDashboard.Testing;

namespace FleetDashboard.Bench.Hosting;

/// <summary>
/// A sub-command of this program in a process of its own (a server to weigh and restart, or a share of the devices):
/// one command a line on its stdin, one answer a line on its stdout, each answer behind <see cref="Answer"/>. It says
/// "ready", and a server its address, before anything else. Whatever else it prints is passed on to stderr, or to a
/// file when asked (the server's timeline), and read at once, so that a full pipe never blocks it.
/// </summary>
public sealed class BenchProcess : IAsyncDisposable
{
    public const string Answer = "@ ";

    private readonly string _name;
    private readonly Process _process;
    private readonly Channel<string> _answers = Channel.CreateUnbounded<string>();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Task _reading;

    private BenchProcess(string name, Process process, string? outputFile)
    {
        _name = name;
        _process = process;
        _reading = ReadOutputAsync(outputFile);
    }

    public int Id => _process.Id;

    /// <summary>http://127.0.0.1:PORT/ of a server; null for a process that serves nothing.</summary>
    public Uri? Address { get; private set; }

    public static async Task<BenchProcess> StartAsync(string name, IReadOnlyList<string> args, TimeSpan readyWithin, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null, string? outputFile = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(BenchProcess).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) Console.Error.WriteLine($"    [{name}] {e.Data}");
        };
        process.BeginErrorReadLine();
        var child = new BenchProcess(name, process, outputFile);
        var ready = (await child.ReadAsync(readyWithin, ct)).Split(' ', 2);
        if (ready[0] != "ready") throw new InvalidOperationException($"{name} said \"{string.Join(' ', ready)}\" instead of ready.");
        if (ready.Length > 1) child.Address = new Uri(ready[1].TrimEnd('/') + "/");
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

    public async Task<int> CountAsync(CancellationToken ct) =>
        int.Parse(await AskAsync("count", TimeSpan.FromSeconds(30), ct), CultureInfo.InvariantCulture);

    /// <summary>
    /// Asks "count" (connected devices: the store's, the echo hub's or a device process's own) every 100 ms until it
    /// reaches <paramref name="n"/> or <paramref name="within"/> has passed. The last count either way: a figure reports
    /// a shortfall, it does not throw.
    /// </summary>
    public async Task<int> CountUntilAsync(int n, TimeSpan within, CancellationToken ct)
    {
        var count = 0;
        try
        {
            // A count the server could not answer (its store pool exhausted in a reconnection storm) is asked again.
            await Wait.UntilAsync(async () => int.TryParse(await AskAsync("count", TimeSpan.FromSeconds(30), ct), CultureInfo.InvariantCulture,
                    out var now) && (count = now) >= n, $"{n} connected to {_name}", within, TimeSpan.FromMilliseconds(100), ct);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // One count not answered within its 30 s (seen in B8: three nodes restarted into a reconnect storm, their
            // store pools exhausted): the last count is the reading.
        }
        return count;
    }

    /// <summary>A server's memory after full collections.</summary>
    public async Task<MemoryReading> MemoryAsync(CancellationToken ct) => MemoryReading.Parse(await AskAsync("mem", TimeSpan.FromMinutes(1), ct));

    private async Task<string> ReadAsync(TimeSpan within, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        try
        {
            return await _answers.Reader.ReadAsync(timeout.Token);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"{_name} ended (exit {(_process.HasExited ? _process.ExitCode : -1)}).");
        }
    }

    private async Task ReadOutputAsync(string? outputFile)
    {
        await using var file = outputFile is null ? null : File.CreateText(outputFile);
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(Answer, StringComparison.Ordinal)) _answers.Writer.TryWrite(line[Answer.Length..]);
            else if (file is not null) await file.WriteLineAsync(line);
            else Console.Error.WriteLine($"    {line}");
        }
        _answers.Writer.TryComplete();
    }

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
                // A server stops within its shutdown timeout; a share of devices within seconds.
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try { await _process.WaitForExitAsync(wait.Token); }
                catch (OperationCanceledException) { }
            }
        }
        catch (IOException) { }
        await KillAsync();
        await _reading;
        _process.Dispose();
    }
}
