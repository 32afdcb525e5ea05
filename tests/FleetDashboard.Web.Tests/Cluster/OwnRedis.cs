using System.Diagnostics;
using StackExchange.Redis;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// A Redis of the test's own (Debian's redis-server on a free loopback port, no persistence), for what must not be done to
/// the shared one: stalling it. Its debug command is on, so that DEBUG SLEEP makes it answer too late for everyone.
/// </summary>
public sealed class OwnRedis : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConnectionMultiplexer _admin;

    private OwnRedis(Process process, ConnectionMultiplexer admin, string configuration)
    {
        _process = process;
        _admin = admin;
        Configuration = configuration;
    }

    public string Configuration { get; }

    public static async Task<OwnRedis> StartAsync()
    {
        var port = ClusterNodes.FreePort();
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--enable-debug-command", "yes" })
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { }; // read, so that a full pipe never blocks it
        process.BeginOutputReadLine();
        var configuration = $"127.0.0.1:{port}";
        ConnectionMultiplexer? admin = null;
        // Its own timeouts are longer than any stall a test asks for: the test's commands must wait it out.
        await Wait.UntilAsync(async () =>
        {
            try
            {
                admin = await ConnectionMultiplexer.ConnectAsync($"{configuration},syncTimeout=30000,asyncTimeout=30000");
                return admin.IsConnected;
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        }, "the test's own redis-server to accept connections");
        return new OwnRedis(process, admin!, configuration);
    }

    /// <summary>Redis does nothing else for <paramref name="time"/> (DEBUG SLEEP); returns when it answers again.</summary>
    public Task StallAsync(TimeSpan time) =>
        _admin.GetDatabase().ExecuteAsync("DEBUG", "SLEEP", time.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        await _admin.DisposeAsync();
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
