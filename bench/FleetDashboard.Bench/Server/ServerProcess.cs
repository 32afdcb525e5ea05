using System.Diagnostics;
using System.Net.Http.Json;

namespace FleetDashboard.Bench.Server;

/// <summary>The bench's own program as a child process running <see cref="BenchServer"/>; ended (by its id) on dispose.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri Address { get; }
    public HttpClient Http { get; }
    public int Id => _process.Id;

    public static async Task<ServerProcess> StartAsync(string dataDirectory, TimeSpan limit, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        start.ArgumentList.Add("serve-pages");
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(dataDirectory);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith("READY ", StringComparison.Ordinal)) continue;
            // Keep reading what it prints, so that a full pipe never blocks it.
            var timeline = Environment.GetEnvironmentVariable(BenchServer.TimelineVariable) is { } file
                ? File.Create(file) : Stream.Null;
            _ = process.StandardOutput.BaseStream.CopyToAsync(timeline, CancellationToken.None)
                .ContinueWith(_ => timeline.Dispose(), TaskScheduler.Default);
            return new ServerProcess(process, new Uri(line["READY ".Length..].TrimEnd('/') + "/"));
        }
        throw new InvalidOperationException($"the server process ended before it listened (exit {process.ExitCode})");
    }

    public async Task<MemoryReading> MemoryAsync(CancellationToken ct) =>
        (await Http.GetFromJsonAsync<MemoryReading>("bench/memory", ct))!;

    /// <param name="connectable">The extra devices start offline and sign in with the credentials of
    /// <see cref="Devices.BenchServer.Credential"/>, for <c>devices</c> processes to connect.</param>
    public async Task<SetupReply> SetupAsync(int extraDevices, CancellationToken ct, bool connectable = false) =>
        (await Http.GetFromJsonAsync<SetupReply>($"bench/setup?devices={extraDevices}&connectable={(connectable ? 1 : 0)}", ct))!;

    public async Task<int> ConnectedAsync(CancellationToken ct) => await Http.GetFromJsonAsync<int>("bench/connected", ct);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            _process.StandardInput.Close(); // asks it to stop
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
