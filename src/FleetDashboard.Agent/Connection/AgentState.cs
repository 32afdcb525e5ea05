namespace FleetDashboard.Agent.Connection;

public enum AgentState
{
    /// <summary>Not started, or disposed.</summary>
    Stopped,

    Connecting,
    Connected,

    /// <summary>The connection dropped; trying again with back-off.</summary>
    Reconnecting,

    /// <summary>The device is booting or shut down; the agent connects when it is up again.</summary>
    DeviceDown,

    /// <summary>The server refused the device's credential; the agent has given up (see <see cref="DeviceAgent.StopReason"/>).</summary>
    Refused,
}
