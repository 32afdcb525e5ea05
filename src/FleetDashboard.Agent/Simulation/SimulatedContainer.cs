namespace FleetDashboard.Agent.Simulation;

/// <summary>
/// A snapshot of one service's container. <see cref="WritableLayer"/> holds what the service wrote outside
/// /data and named volumes (path → content): it lives and dies with this container.
/// </summary>
public sealed record SimulatedContainer(
    string Service,
    string Image,
    bool IsRunning,
    bool IgnoresSigterm,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, string> WritableLayer);
