namespace FleetDashboard.Web.Cluster;

/// <summary>
/// Work that must happen once across the nodes (the offline sweep, closing what dead nodes left open) is done by the
/// node that holds the lease. Without one registered (a single node) that node does it all.
/// </summary>
public interface IClusterLease
{
    bool IsHeld { get; }

    /// <summary>This node's name among the others (the boot id of the run targets it sends).</summary>
    string Node { get; }

    /// <summary>Of these nodes (boot ids), the ones gone: none unless this node holds the lease.</summary>
    Task<IReadOnlyList<string>> GoneAsync(IReadOnlyCollection<string> nodes, CancellationToken ct);
}
