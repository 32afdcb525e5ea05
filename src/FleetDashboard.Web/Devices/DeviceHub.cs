using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// The door for devices. Each connection is one device, known by its credential alone; every method acts
/// on that device and no other.
/// </summary>
[Authorize(AuthenticationSchemes = DeviceCredentials.SchemeName)]
public sealed class DeviceHub(DeviceConnections connections, DeviceStates states, IDeviceWhereabouts whereabouts) : Hub
{
    private int DeviceId => int.Parse(Context.User!.FindFirst(DeviceCredentials.DeviceIdClaim)!.Value);

    public override async Task OnConnectedAsync()
    {
        try
        {
            await ConnectAsync();
        }
        finally
        {
            DeviceAdmission.Admitted(Context.GetHttpContext());
        }
    }

    private async Task ConnectAsync()
    {
        // Known first, checked second: a deletion that commits in between finds this connection and cuts it.
        connections.Add(DeviceId, Context);
        DateTimeOffset? connectedAt;
        try
        {
            // Not cut short when the device leaves at once: the record is written whole, then closed whole.
            connectedAt = await states.ConnectedAsync(DeviceId, CancellationToken.None);
        }
        catch
        {
            // SignalR calls no OnDisconnectedAsync for a connection whose OnConnectedAsync failed.
            connections.Remove(DeviceId, Context.ConnectionId);
            throw;
        }
        if (connectedAt is null)
        {
            connections.Abort(DeviceId);
            Context.Abort();
            return;
        }
        connections.Recorded(DeviceId, Context.ConnectionId, connectedAt.Value);
        // Other nodes act on the device through this connection from now on.
        await whereabouts.HereAsync(DeviceId, Context.ConnectionId, connectedAt.Value);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await whereabouts.GoneAsync(DeviceId, Context.ConnectionId);
        // Only this connection's own record is closed: a reconnection that overtook it stays Online.
        if (connections.Remove(DeviceId, Context.ConnectionId) is { } connectedAt)
            await states.DisconnectedAsync(DeviceId, connectedAt);
    }

    public Task Report(DeviceReport report) => states.ReportAsync(DeviceId, report ?? throw new HubException("A report is required."), Context.ConnectionAborted);

    public Task Heartbeat() => states.HeartbeatAsync(DeviceId, Context.ConnectionAborted);

    public Task<TargetState> FetchTargetState() => states.TargetStateAsync(DeviceId, Context.ConnectionAborted);
}
