using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Simulation;

public sealed partial class SimulatedDevice
{
    // The host OS the device boots into after installing an update.
    private string? _bootInto;

    /// <summary>
    /// Power goes away: everything scheduled is dropped, a restart under way fails, work in progress is lost
    /// (an unfinished download starts again after boot), and the update lock, a file in tmpfs, is gone.
    /// Containers stop but are not removed: a reboot brings the same containers back, writable layers and
    /// all, as a power cycle does to a real device.
    /// </summary>
    private void GoDown(DevicePower then)
    {
        _powerCycles++;
        foreach (var scheduled in _scheduled) scheduled.Dispose();
        _scheduled.Clear();
        _restart?.TrySetResult(new ActionResult(ActionResultKind.Failed, "the device went down during the restart"));
        _restart = null;
        StopWork();
        _lockHeld = false;
        foreach (var container in _containers) container.IsRunning = false;
        _power = then;
        if (_up.Task.IsCompleted) _up = NewSignal();
        if (then == DevicePower.Booting) Boot();
    }

    private void Boot() => After(_options.Scale(_options.BootTime), () =>
    {
        _power = DevicePower.Running;
        _upSince = _clock.Now;
        if (_bootInto is { } hostOs)
        {
            _hostOsVersion = hostOs;
            _hostOs = FleetVersion.Parse(hostOs);
            _bootInto = null;
        }
        foreach (var container in _containers) container.IsRunning = true;
        _up.TrySetResult();
        // What the target state asked for before the power went (kept on disk) carries on now.
        Reconcile();
    });
}
