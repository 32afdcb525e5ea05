using FleetDashboard.Agent.Protocol;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// The door for devices. Each connection is one device, known by its credential alone; every method acts
/// on that device and no other.
/// </summary>
[Authorize(AuthenticationSchemes = DeviceCredentials.SchemeName)]
public sealed class DeviceHub(DeviceConnections connections, DeviceStates states) : Hub
{
    private int DeviceId => int.Parse(Context.User!.FindFirst(DeviceCredentials.DeviceIdClaim)!.Value);

    public override async Task OnConnectedAsync()
    {
        if (!await states.ConnectedAsync(DeviceId, Context.ConnectionAborted))
        {
            Context.Abort();
            return;
        }
        connections.Add(DeviceId, Context);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (connections.Remove(DeviceId, Context.ConnectionId))
            await states.DisconnectedAsync(DeviceId);
    }

    public Task Report(DeviceReport report) => states.ReportAsync(DeviceId, report ?? throw new HubException("A report is required."), Context.ConnectionAborted);

    public Task Heartbeat() => states.HeartbeatAsync(DeviceId, Context.ConnectionAborted);

    public Task<TargetState> FetchTargetState() => states.TargetStateAsync(DeviceId, Context.ConnectionAborted);
}
