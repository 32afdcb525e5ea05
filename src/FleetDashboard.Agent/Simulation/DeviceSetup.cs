namespace FleetDashboard.Agent.Simulation;

/// <summary>What a simulated device is when it is first switched on.</summary>
public sealed record DeviceSetup
{
    public string DeviceType { get; init; } = "raspberrypi4-64";
    public string HostOsVersion { get; init; } = "2.13.1";
    public string AgentVersion { get; init; } = "1.4.2";

    /// <summary>The name it asks for when it registers; the server picks one when null.</summary>
    public string? Name { get; init; }

    /// <summary>The application it already belongs to; null until its first target state says.</summary>
    public int? ApplicationId { get; init; }

    /// <summary>The release it already runs, with its services (service name → image); one container each.</summary>
    public string? ReleaseCommit { get; init; }
    public IReadOnlyDictionary<string, string> Services { get; init; } = new Dictionary<string, string>();

    /// <summary>Named volumes that exist from the start (empty); more appear when something writes to one.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary>Services whose process ignores SIGTERM, so stopping them waits for the kill timeout.</summary>
    public IReadOnlyCollection<string> ServicesIgnoringSigterm { get; init; } = [];

    /// <summary>Its addresses; a unique 10.x.y.z is made up when empty.</summary>
    public IReadOnlyList<string> IpAddresses { get; init; } = [];
}
