using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Tests.Simulation;

/// <summary>Simulated devices on a manual clock: time moves only when a test says so.</summary>
internal static class TestDevices
{
    public const int FirstApplication = 1;
    public const int SecondApplication = 2;

    public static readonly IReadOnlyDictionary<string, string> FirstServices =
        new Dictionary<string, string> { ["main"] = "registry/main:1", ["worker"] = "registry/worker:1" };

    public static readonly IReadOnlyDictionary<string, string> SecondServices =
        new Dictionary<string, string> { ["main"] = "registry/main:2", ["metrics"] = "registry/metrics:1" };

    public static SimulatedDevice New(string hostOs = "2.13.1", string agent = "1.4.2",
        string[]? ignoringSigterm = null, double timeFactor = 1, int? applicationId = FirstApplication) =>
        new(new DeviceSetup
        {
            HostOsVersion = hostOs,
            AgentVersion = agent,
            ApplicationId = applicationId,
            ReleaseCommit = "r1",
            Services = FirstServices,
            Volumes = ["app-db", "cache"],
            ServicesIgnoringSigterm = ignoringSigterm ?? [],
        }, new SimulationOptions { Clock = new ManualSimulationClock(), TimeFactor = timeFactor });

    /// <summary>What the dashboard wants: by default, what the device of <see cref="New"/> already is.</summary>
    public static TargetState Target(int applicationId = FirstApplication, string? release = "r1",
        IReadOnlyDictionary<string, string>? services = null) =>
        new(DeviceProtocol.Version, applicationId, $"app-{applicationId}", "raspberrypi4-64", release,
            services ?? FirstServices, PublicUrl: false, LocalMode: false, LockOverride: false,
            HostOsVersion: null, HostOsForced: false, PollIntervalSeconds: 600);

    public static void Advance(this SimulatedDevice device, TimeSpan by) =>
        ((ManualSimulationClock)device.Options.Clock).Advance(by);

    public static void Advance(this SimulatedDevice device, double seconds) =>
        device.Advance(TimeSpan.FromSeconds(seconds));

    public static ActionResult Run(this SimulatedDevice device, DeviceCommand command, bool force = false)
    {
        var answer = device.RunAsync(command, force);
        Assert.True(answer.IsCompleted, $"{command} should answer at once.");
        return answer.Result;
    }
}
