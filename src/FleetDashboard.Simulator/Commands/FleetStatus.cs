using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Simulator.Commands;

/// <summary>One line on how a running fleet is doing.</summary>
public static class FleetStatus
{
    public static string Line(SimulatedFleet fleet)
    {
        var agents = fleet.Agents;
        int Count(Func<DeviceAgent, bool> which) => agents.Count(which);
        var parts = new List<string>
        {
            $"{Count(a => a.IsConnected)} connected",
            $"{Count(a => a.State is AgentState.Connecting or AgentState.Reconnecting)} reconnecting",
            $"{Count(a => a.Device.Power == DevicePower.Booting)} booting",
            $"{Count(a => a.Device.Power == DevicePower.Off)} shut down",
            $"{Count(a => a.Device.Work != DeviceProgress.Idle)} updating",
            $"{Count(a => a.Device.UpdateLockHeld)} locked",
        };
        var refused = Count(a => a.State == AgentState.Refused);
        if (refused > 0) parts.Add($"{refused} refused by the server");
        return $"{DateTime.Now:HH:mm:ss}  {agents.Count} devices: {string.Join(", ", parts)}";
    }
}
