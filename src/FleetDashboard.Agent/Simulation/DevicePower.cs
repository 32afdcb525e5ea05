namespace FleetDashboard.Agent.Simulation;

public enum DevicePower
{
    /// <summary>Shut down: nothing runs, and only <see cref="SimulatedDevice.PowerOn"/> brings it back.</summary>
    Off,

    /// <summary>Powered, not yet running: no containers, no agent, no connection.</summary>
    Booting,

    /// <summary>Up: containers run and the agent can connect.</summary>
    Running,
}
