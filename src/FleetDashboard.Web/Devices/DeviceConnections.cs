using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace FleetDashboard.Web.Devices;

/// <summary>Which devices hold a live connection to this server, and the means to cut one.</summary>
public sealed class DeviceConnections
{
    private readonly ConcurrentDictionary<int, HubCallerContext> _byDevice = new();

    public int Count => _byDevice.Count;

    /// <summary>A device has one connection: a new one replaces (and cuts) an older one still open.</summary>
    public void Add(int deviceId, HubCallerContext connection)
    {
        HubCallerContext? older = null;
        _byDevice.AddOrUpdate(deviceId, connection, (_, existing) => { older = existing; return connection; });
        if (older is not null && older.ConnectionId != connection.ConnectionId) older.Abort();
    }

    /// <summary>Forgets the connection if it is still the device's current one; true when it was.</summary>
    public bool Remove(int deviceId, string connectionId) =>
        _byDevice.TryGetValue(deviceId, out var current) && current.ConnectionId == connectionId
        && _byDevice.TryRemove(new KeyValuePair<int, HubCallerContext>(deviceId, current));

    public bool TryGetConnectionId(int deviceId, out string connectionId)
    {
        var found = _byDevice.TryGetValue(deviceId, out var connection);
        connectionId = connection?.ConnectionId ?? "";
        return found;
    }

    public bool IsConnected(int deviceId) => _byDevice.ContainsKey(deviceId);

    /// <summary>Cuts the device's connection now (deleted, orphaned, credential dead).</summary>
    public void Abort(int deviceId)
    {
        if (_byDevice.TryRemove(deviceId, out var connection)) connection.Abort();
    }
}
