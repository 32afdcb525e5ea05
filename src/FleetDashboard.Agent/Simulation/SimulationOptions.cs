using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Agent.Simulation;

/// <summary>
/// The knobs of a simulated fleet. Durations are given in device time (as a real device would take);
/// <see cref="TimeFactor"/> divides every one of them, so 10 runs boots, the 10 s kill, progress,
/// heartbeats, polls and reconnect back-off ten times faster.
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>1 = real time; 10 = ten times faster.</summary>
    public double TimeFactor { get; init; } = 1;

    /// <summary>Where the slow parts are scheduled; tests pass a <see cref="ManualSimulationClock"/>.</summary>
    public SimulationClock Clock { get; init; } = SimulationClock.Real;

    /// <summary>From power on (or the start of a reboot) to running containers.</summary>
    public TimeSpan BootTime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a stop waits after SIGTERM before SIGKILL.</summary>
    public TimeSpan KillTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Downloading and installing a host OS, before the reboot into it.</summary>
    public TimeSpan HostOsUpdateDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Downloading a release's images, before it waits for the lock and applies.</summary>
    public TimeSpan ReleaseDownloadDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Overrides the server's poll interval when set; either way each wait is randomised ×0.5–1.5.</summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>The first reconnect wait; each failure doubles it up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan FirstReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many devices register or connect at once when a fleet starts.</summary>
    public int StartConcurrency { get; init; } = 50;

    /// <summary>For the agents' own messages (a refused credential, failed sends); none by default.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Where the agent sends its public URL's requests: a web server such as a real device's port 80
    /// (<see cref="Connection.LocalWebServer.DefaultAddress"/>). Null: the simulated device serves its own page.
    /// </summary>
    public Uri? WebServer { get; init; }

    /// <summary>A last word on each device connection (certificates, proxies, headers).</summary>
    public Action<HttpConnectionOptions>? ConfigureConnection { get; init; }

    /// <summary>A device-time duration in simulation time.</summary>
    public TimeSpan Scale(TimeSpan deviceTime)
    {
        if (!(TimeFactor > 0) || double.IsInfinity(TimeFactor))
            throw new InvalidOperationException($"The time factor must be a positive number, not {TimeFactor}.");
        return TimeSpan.FromTicks((long)(deviceTime.Ticks / TimeFactor));
    }
}
