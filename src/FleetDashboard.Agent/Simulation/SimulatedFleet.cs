using FleetDashboard.Agent.Connection;

namespace FleetDashboard.Agent.Simulation;

/// <summary>
/// Many simulated devices in one process, each with its own credential and connection: for seeing every rule
/// at work, for the dashboard's demo fleet, and for load. Starting registers and connects a bounded number at
/// a time, so a fleet of hundreds does not arrive as one wave.
/// </summary>
public sealed class SimulatedFleet : IAsyncDisposable
{
    private readonly Dictionary<string, DeviceAgent> _agentsByUuid;
    private bool _disposed;

    private SimulatedFleet(IReadOnlyList<DeviceAgent> agents, SimulationOptions options)
    {
        Agents = agents;
        Options = options;
        _agentsByUuid = agents.ToDictionary(a => a.Identity.Uuid, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<DeviceAgent> Agents { get; }
    public IReadOnlyList<SimulatedDevice> Devices => Agents.Select(a => a.Device).ToList();
    public SimulationOptions Options { get; }
    public int ConnectedCount => Agents.Count(a => a.IsConnected);

    public DeviceAgent Agent(string uuid) =>
        _agentsByUuid.TryGetValue(uuid, out var agent)
            ? agent
            : throw new KeyNotFoundException($"No simulated device {uuid} in this fleet.");

    public SimulatedDevice Device(string uuid) => Agent(uuid).Device;

    /// <summary>Presses the power button of a shut-down device.</summary>
    public void PowerOn(string uuid) => Device(uuid).PowerOn();

    /// <summary>
    /// Registers <paramref name="count"/> new devices with the provisioning key and starts their agents.
    /// <paramref name="shape"/> makes device number i (default: <see cref="DeviceSetup"/>'s defaults).
    /// </summary>
    /// <exception cref="DeviceRegistrationException">The server refused a registration.</exception>
    public static async Task<SimulatedFleet> StartAsync(Uri server, string provisioningKey, int count,
        SimulationOptions? options = null, Func<int, SimulatedDevice>? shape = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        options ??= new SimulationOptions();
        var simulationOptions = options;
        shape ??= _ => new SimulatedDevice(new DeviceSetup(), simulationOptions);
        var devices = Enumerable.Range(0, count).Select(shape).ToArray();
        var identities = new DeviceIdentity[count];

        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count), Bounded(options, cancellationToken),
                async (i, token) => identities[i] =
                    await DeviceAgent.RegisterAsync(http, server, provisioningKey, devices[i], token));
        }

        return await StartAsync(server, identities.Zip(devices), options, cancellationToken);
    }

    /// <summary>Starts agents for devices that already have an identity (the dashboard's own demo fleet).</summary>
    public static async Task<SimulatedFleet> StartAsync(Uri server,
        IEnumerable<(DeviceIdentity Identity, SimulatedDevice Device)> devices,
        SimulationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulationOptions();
        var agents = new List<DeviceAgent>();
        foreach (var (identity, device) in devices)
        {
            if (device.Uuid is null) device.AssignIdentity(identity.Uuid, identity.Name);
            agents.Add(new DeviceAgent(server, identity, device, options));
        }

        var fleet = new SimulatedFleet(agents, options);
        try
        {
            await Parallel.ForEachAsync(agents, Bounded(options, cancellationToken),
                async (agent, token) => await agent.StartAsync(token));
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await Parallel.ForEachAsync(Agents, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.StartConcurrency) },
            async (agent, _) => await agent.DisposeAsync());
    }

    private static ParallelOptions Bounded(SimulationOptions options, CancellationToken cancellationToken) => new()
    {
        MaxDegreeOfParallelism = Math.Max(1, options.StartConcurrency),
        CancellationToken = cancellationToken,
    };
}
