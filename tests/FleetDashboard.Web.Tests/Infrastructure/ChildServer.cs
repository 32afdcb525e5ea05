using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace FleetDashboard.Web.Tests.Infrastructure;

/// <summary>
/// The dashboard in a process of its own (this test assembly run as a program, <see cref="ChildServerProgram"/>), so that
/// a test can kill it as a crash or a power cut would and start another over the same SQLite file. It says "ready" and
/// its address, then answers one command a line; its answers are the lines behind <see cref="ChildServerProgram.Answer"/>,
/// and everything else it prints is read and dropped, so that a full pipe never blocks it.
/// </summary>
public sealed class ChildServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _answers = Channel.CreateUnbounded<string>();
    private readonly Task _reading;

    private ChildServer(Process process)
    {
        _process = process;
        _reading = ReadAnswersAsync();
    }

    /// <summary>http://127.0.0.1:PORT/ of the child's dashboard.</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<ChildServer> StartAsync(string dataDirectory, TimeSpan actionTimeout)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     typeof(ChildServer).Assembly.Location, ChildServerProgram.Command, dataDirectory,
                     actionTimeout.ToString("c", CultureInfo.InvariantCulture),
                 })
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("The child server did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var child = new ChildServer(process);
        // Two busy cores start a dashboard in seconds, not in a minute.
        var ready = await child.ReadAsync(TimeSpan.FromMinutes(1));
        child.Address = new Uri(ready);
        return child;
    }

    public async Task<string> AskAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await ReadAsync(TimeSpan.FromMinutes(1));
    }

    /// <summary>SIGKILL: the process ends at once, with no stop of its own.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        // Bounded: the wait also reads the redirected output to its end, and a full run once hung here for good.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(wait.Token);
    }

    private async Task<string> ReadAsync(TimeSpan within)
    {
        try
        {
            return await _answers.Reader.ReadAsync().AsTask().WaitAsync(within);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The child server ended (exit {(_process.HasExited ? _process.ExitCode : -1)}).");
        }
    }

    private async Task ReadAnswersAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
            if (line.StartsWith(ChildServerProgram.Answer, StringComparison.Ordinal))
                _answers.Writer.TryWrite(line[ChildServerProgram.Answer.Length..]);
        _answers.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // End of input: the child stops its dashboard as a host stops, then exits.
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        await KillAsync();
        await _reading.WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }
}
