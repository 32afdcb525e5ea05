using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Simulation;

public sealed partial class SimulatedDevice
{
    private DeviceProgress _work = DeviceProgress.Idle;
    private int? _progress;

    // Identifies the work under way; a step scheduled for older work finds it replaced and does nothing.
    private object? _workTicket;
    private IncomingRelease? _incoming;

    public DeviceProgress Work => Read(() => _work);
    public int? ProgressPercent => Read(() => _progress);

    /// <summary>
    /// Takes what the dashboard wants the device to be and starts moving towards it: a move, then a host OS
    /// update, then a release. In local mode the dashboard has no say, and nothing but the mode is taken.
    /// A target of a newer protocol than this agent speaks is refused (returns false).
    /// </summary>
    public bool ApplyTargetState(TargetState target)
    {
        if (target.ProtocolVersion > DeviceProtocol.Version) return false;
        Change(() =>
        {
            _target = target;
            // Polling goes on in local mode: it is how the device learns that local mode has ended.
            if (target.PollIntervalSeconds > 0)
                _pollInterval = TimeSpan.FromSeconds(target.PollIntervalSeconds);
            Reconcile();
        });
        return true;
    }

    /// <summary>Moves one step towards the target; called whenever the target, the lock, power or work changes.</summary>
    private void Reconcile()
    {
        if (_power != DevicePower.Running || _target is not { LocalMode: false } target) return;

        // "Override lock" deletes held locks and lets the pending update through.
        if (target.LockOverride) _lockHeld = false;

        // A host OS install ends in a reboot; everything else waits for it.
        if (_work == DeviceProgress.UpdatingHostOs) return;

        if (target.ApplicationId != _applicationId) MoveTo(target.ApplicationId);

        if (WantedHostOs(target) is { } hostOs && (!_lockHeld || target.HostOsForced))
        {
            StartHostOsUpdate(hostOs);
            return;
        }

        var wanted = target.ReleaseCommit;
        if (wanted is null || wanted == _releaseCommit)
        {
            // The target went back to what already runs: drop the download.
            if (_work == DeviceProgress.ApplyingRelease) StopWork();
        }
        else if (_work == DeviceProgress.ApplyingRelease && _incoming?.Commit == wanted)
        {
            TryApplyRelease();
        }
        else
        {
            StartRelease(wanted, target.Services);
        }
    }

    /// <summary>
    /// Below 2.12.0 each application's /data stays on the device: the old one is kept aside and comes back
    /// if the device is moved back. From 2.12.0 data lives in named volumes, which a move purges.
    /// </summary>
    private void MoveTo(int applicationId)
    {
        var from = _applicationId;
        _applicationId = applicationId;
        if (from is null)
        {
            // Not a move: the device learns which application it was provisioned into.
            if (_dataByApplication.Remove(0, out var early)) _dataByApplication[applicationId] = early;
            return;
        }
        if (OnNamedVolumes)
        {
            PurgeNamedVolumes();
            _dataByApplication.Clear();
        }
    }

    private string? WantedHostOs(TargetState target) =>
        FleetVersion.TryParse(target.HostOsVersion, out var version) && version > _hostOs
            ? target.HostOsVersion
            : null;

    private void StartHostOsUpdate(string hostOs)
    {
        // A release download gives way; it starts again after the reboot.
        StopWork();
        var ticket = _workTicket = new object();
        _work = DeviceProgress.UpdatingHostOs;
        WithProgress(ticket, _options.Scale(_options.HostOsUpdateDuration), () =>
        {
            _bootInto = hostOs;
            GoDown(DevicePower.Booting);
        });
    }

    private void StartRelease(string commit, IReadOnlyDictionary<string, string> services)
    {
        StopWork();
        var ticket = _workTicket = new object();
        _work = DeviceProgress.ApplyingRelease;
        _incoming = new IncomingRelease(commit, new Dictionary<string, string>(services));
        WithProgress(ticket, _options.Scale(_options.ReleaseDownloadDuration), () =>
        {
            _incoming = _incoming with { Downloaded = true };
            TryApplyRelease();
        });
    }

    /// <summary>A downloaded release waits while the application holds its lock, then replaces the containers.</summary>
    private void TryApplyRelease()
    {
        if (_incoming is not { Downloaded: true } release) return;
        if (_lockHeld && !LockOverridden) return;
        _releaseCommit = release.Commit;
        _services = release.Services;
        _containers = CreateContainers();
        StopWork();
    }

    /// <summary>Progress 0 → 100 in tenths over <paramref name="duration"/>, then <paramref name="done"/>.</summary>
    private void WithProgress(object ticket, TimeSpan duration, Action done)
    {
        const int steps = 10;
        _progress = 0;
        var step = duration / steps;

        void Tick(int reached) => After(step, () =>
        {
            if (!ReferenceEquals(ticket, _workTicket)) return;
            _progress = reached * 100 / steps;
            if (reached == steps) done();
            else Tick(reached + 1);
        });

        Tick(1);
    }

    private void StopWork()
    {
        _workTicket = null;
        _incoming = null;
        _work = DeviceProgress.Idle;
        _progress = null;
    }

    private sealed record IncomingRelease(string Commit, IReadOnlyDictionary<string, string> Services, bool Downloaded = false);
}
