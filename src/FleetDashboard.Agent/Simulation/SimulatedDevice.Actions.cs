using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Simulation;

public sealed partial class SimulatedDevice
{
    private TaskCompletionSource<ActionResult>? _restart;

    /// <summary>
    /// Carries out an immediate action and answers it. Purge, reboot and shutdown take effect before this
    /// returns; a restart answers when its containers are back, which takes the kill timeout when a service
    /// ignores SIGTERM. A held update lock refuses every action unless it is forced or the dashboard
    /// overrides the lock.
    /// </summary>
    public Task<ActionResult> RunAsync(DeviceCommand command, bool force = false)
    {
        Task<ActionResult> answer;
        lock (_gate) answer = Run(command, force);
        Changed?.Invoke(this);
        return answer;
    }

    private Task<ActionResult> Run(DeviceCommand command, bool force)
    {
        if (_power != DevicePower.Running)
            return Answer(new ActionResult(ActionResultKind.Failed, "the device is not running"));
        if (command != DeviceCommand.Restart && _agent < FleetVersion.DeviceActionsFrom)
            return Answer(new ActionResult(ActionResultKind.Refused, "agent too old"));
        if (command == DeviceCommand.Identify) return Blink(); // touches no container: no lock stops it
        if (_lockHeld && !force && !LockOverridden)
            return Answer(ActionResult.LockHeld);

        switch (command)
        {
            case DeviceCommand.Restart:
                return Restart();
            case DeviceCommand.Purge:
                Purge();
                return Answer(ActionResult.Succeeded);
            case DeviceCommand.Reboot:
                GoDown(DevicePower.Booting);
                return Answer(ActionResult.Succeeded);
            case DeviceCommand.Shutdown:
                GoDown(DevicePower.Off);
                return Answer(ActionResult.Succeeded);
            default:
                return Answer(new ActionResult(ActionResultKind.Failed, $"unknown command {command}"));
        }
    }

    private static Task<ActionResult> Answer(ActionResult result) => Task.FromResult(result);

    /// <summary>Stop every container (SIGTERM, SIGKILL after the kill timeout), then create them anew.</summary>
    private Task<ActionResult> Restart()
    {
        // A second restart while one is under way is the same restart.
        if (_restart is not null) return _restart.Task;

        foreach (var container in _containers) container.IsRunning = false;
        if (!_containers.Any(c => _ignoringSigterm.Contains(c.Service)))
        {
            _containers = CreateContainers();
            return Answer(ActionResult.Succeeded);
        }

        var restart = _restart = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        After(_options.Scale(_options.KillTimeout), () =>
        {
            _restart = null;
            _containers = CreateContainers();
            restart.TrySetResult(ActionResult.Succeeded);
        });
        return restart.Task;
    }

    /// <summary>
    /// Below 2.12.0 application data lives in /data, and purge clears it. From 2.12.0 it lives in named
    /// volumes, /data being one of them: every volume is deleted and recreated empty.
    /// </summary>
    private void Purge()
    {
        CurrentData.Clear();
        if (OnNamedVolumes) PurgeNamedVolumes();
    }

    private void PurgeNamedVolumes()
    {
        foreach (var files in _volumes.Values) files.Clear();
    }
}
