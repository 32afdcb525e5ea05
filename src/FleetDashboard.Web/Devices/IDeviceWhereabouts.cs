namespace FleetDashboard.Web.Devices;

/// <summary>
/// Where each device's connection is, told by the node that holds it. One node alone needs nobody told; several
/// nodes share theirs (<see cref="Cluster.RedisWhereabouts"/>), which is how an action finds a device on another node.
/// </summary>
public interface IDeviceWhereabouts
{
    /// <summary>The device's connection, recorded as open at <paramref name="connectedAt"/>, is now on this node.</summary>
    Task HereAsync(int deviceId, string connectionId, DateTimeOffset connectedAt);

    /// <summary>The connection closed: forgotten, unless the device has a newer one (here or on another node).</summary>
    Task GoneAsync(int deviceId, string connectionId);
}

/// <summary>The nodes cannot reach one another: a device on another node cannot be acted on now.</summary>
public sealed class NodesUnreachableException(Exception inner) : Exception(Reason, inner)
{
    public const string Reason = "the device is connected to another node, and Redis, which reaches it, is down";
}

/// <summary>One node: every device it can reach is connected to it.</summary>
public sealed class OneNode : IDeviceWhereabouts
{
    public Task HereAsync(int deviceId, string connectionId, DateTimeOffset connectedAt) => Task.CompletedTask;

    public Task GoneAsync(int deviceId, string connectionId) => Task.CompletedTask;
}
