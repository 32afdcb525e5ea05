using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FleetDashboard.Web.Tests.Infrastructure;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// Debian's nginx from the repository's own config (deploy/nginx/fleet-cluster.conf, filled and started by
/// deploy/local/nginx.sh, exactly as ./run.sh --cluster does) on a free loopback port in front of given nodes.
/// </summary>
public sealed class NginxFront : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _conf;

    private NginxFront(string folder, Uri address)
    {
        _folder = folder;
        _conf = Path.Combine(folder, "fleet-cluster.conf");
        Address = address;
    }

    /// <summary>http://127.0.0.1:PORT/ of nginx.</summary>
    public Uri Address { get; }

    public static async Task<NginxFront> StartAsync(IEnumerable<Uri> nodes)
    {
        var folder = Path.Combine(Path.GetTempPath(), "fleet-tests", "nginx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var listen = $"127.0.0.1:{FreePort()}";
        var front = new NginxFront(folder, new Uri($"http://{listen}/"));
        var conf = await ScriptAsync(["conf", listen, .. nodes.Select(node => node.Authority)]);
        await File.WriteAllTextAsync(front._conf, conf);
        await ScriptAsync(["start", front._conf]);
        return front;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> ScriptAsync(string[] arguments)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Repository.File("deploy", "local", "nginx.sh"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("nginx.sh did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"nginx.sh {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}");
        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        await ScriptAsync(["stop", _conf]);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a run.
        }
        catch (UnauthorizedAccessException)
        {
            // Nor one that nginx's workers still held.
        }
    }
}
