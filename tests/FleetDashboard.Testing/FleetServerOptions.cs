using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Testing;

/// <summary>How a <see cref="FleetServer"/> runs. The defaults: Development, nothing seeded, a free port, a fresh data folder.</summary>
public sealed record FleetServerOptions
{
    public string Environment { get; init; } = "Development";

    public FleetSeed Seed { get; init; } = FleetSeed.Empty;

    /// <summary>Settings over the app's own (as <c>--key=value</c> would), such as tighter limits for a test.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>0: a free port. A fixed one for a server that is stopped and started again where its clients expect it.</summary>
    public int Port { get; init; }

    /// <summary>Null: a fresh temp folder, deleted on dispose. A given folder is kept, for a restart over the same file.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Services over the app's own, registered last (what a benchmark adds beside the product).</summary>
    public Action<IServiceCollection>? Services { get; init; }
}
