using FleetDashboard.Web.Tests.Devices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// Two real dashboard nodes behind real nginx. They share one data folder (one SQLite file, one key ring), which
/// stands in for PostgreSQL and the shared keys of a real cluster: enough for what nginx itself must get right.
/// Each node stamps its answers with its name, so a test sees which node nginx chose.
/// </summary>
public sealed class NginxCluster : IAsyncLifetime
{
    public const string NodeHeader = "X-Fleet-Test-Node";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "fleet-tests", "cluster-" + Guid.NewGuid().ToString("N"));

    public StampedNode A { get; private set; } = null!;
    public StampedNode B { get; private set; } = null!;
    public NginxFront Front { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        // One after the other: the first migrates the shared store.
        A = new StampedNode("a", _folder);
        _ = A.BaseAddress;
        B = new StampedNode("b", _folder);
        _ = B.BaseAddress;
        Front = await NginxFront.StartAsync([A.BaseAddress, B.BaseAddress]);
    }

    private readonly HashSet<StampedNode> _stopped = [];

    /// <summary>Stops one node as its host would (its connections close); nginx goes on in front of the other.</summary>
    public async Task StopAsync(StampedNode node)
    {
        if (_stopped.Add(node)) await node.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        if (Front is not null) await Front.DisposeAsync();
        if (B is not null) await StopAsync(B);
        if (A is not null) await StopAsync(A);
        using (new FleetDataFolder(_folder))
        {
            // Clears SQLite's pools, which hold the shared file open.
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a run.
        }
    }
}

/// <summary>A node of the cluster: an empty dashboard over the shared folder that names itself in every answer.</summary>
public sealed class StampedNode(string name, string folder) : DeviceFleetServer(new FleetServerOptions
{
    DataDirectory = folder,
    Services = services => services.AddTransient<IStartupFilter>(_ => new NodeStamp(name)),
})
{
    private sealed class NodeStamp(string name) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Set before anything answers, so it rides on pages, negotiations and a WebSocket's 101 alike.
            app.Use((context, inner) =>
            {
                context.Response.Headers[NginxCluster.NodeHeader] = name;
                return inner(context);
            });
            next(app);
        };
    }
}
