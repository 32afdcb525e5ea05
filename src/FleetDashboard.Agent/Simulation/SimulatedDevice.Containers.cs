namespace FleetDashboard.Agent.Simulation;

public sealed partial class SimulatedDevice
{
    private List<ServiceContainer> CreateContainers() =>
        _services.Select(s => new ServiceContainer(s.Key, s.Value, _clock.Now)).ToList();

    private ServiceContainer RunningContainer(string service)
    {
        RequireUp();
        return _containers.SingleOrDefault(c => c.Service == service)
            ?? throw new InvalidOperationException($"No container runs service \"{service}\".");
    }

    /// <summary>One service's container; recreating it means a new one with an empty writable layer.</summary>
    private sealed class ServiceContainer(string service, string image, DateTimeOffset createdAt)
    {
        public string Service { get; } = service;
        public string Image { get; } = image;
        public DateTimeOffset CreatedAt { get; } = createdAt;
        public bool IsRunning { get; set; } = true;
        public Dictionary<string, string> Layer { get; } = [];

        public SimulatedContainer Snapshot(bool ignoresSigterm) =>
            new(Service, Image, IsRunning, ignoresSigterm, CreatedAt, new Dictionary<string, string>(Layer));
    }
}
