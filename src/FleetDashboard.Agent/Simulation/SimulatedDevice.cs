using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Simulation;

/// <summary>
/// The body of one device, without any network: its host OS, agent, power, containers, /data, named volumes
/// and update lock, and how each action and target state changes them (SPEC §3). Everything slow runs on
/// the options' <see cref="SimulationClock"/>, so a test drives it with a manual clock and no sleeps.
/// Thread-safe: the agent's connection, the clock's timers and a test may all touch it at once.
/// </summary>
public sealed partial class SimulatedDevice
{
    private static int s_lastAddress;

    private readonly Lock _gate = new();
    private readonly SimulationOptions _options;
    private readonly SimulationClock _clock;
    private readonly IReadOnlyList<string> _ipAddresses;
    private readonly HashSet<string> _ignoringSigterm;
    private readonly Dictionary<string, Dictionary<string, string>> _volumes;

    // /data per application id: below host OS 2.12.0 a moved device keeps the old application's /data and
    // finds it again when moved back. Key 0 holds what was written before the device knew its application.
    private readonly Dictionary<int, Dictionary<string, string>> _dataByApplication = [];

    // Everything scheduled on the clock, so going down can cancel it.
    private readonly List<IDisposable> _scheduled = [];

    private List<ServiceContainer> _containers;
    private IReadOnlyDictionary<string, string> _services;
    private TaskCompletionSource _up = NewSignal();
    private string _hostOsVersion;
    private FleetVersion _hostOs;
    private readonly FleetVersion _agent;
    private string? _uuid;
    private string? _name;
    private int? _applicationId;
    private string? _releaseCommit;
    private DevicePower _power = DevicePower.Running;
    private int _powerCycles;
    private bool _lockHeld;
    private TimeSpan _pollInterval = DeviceProtocol.DefaultPollInterval;
    private TargetState? _target;

    public SimulatedDevice(DeviceSetup? setup = null, SimulationOptions? options = null)
    {
        setup ??= new DeviceSetup();
        _options = options ?? new SimulationOptions();
        _clock = _options.Clock;
        DeviceType = setup.DeviceType;
        AgentVersion = setup.AgentVersion;
        _agent = FleetVersion.Parse(setup.AgentVersion);
        _hostOsVersion = setup.HostOsVersion;
        _hostOs = FleetVersion.Parse(setup.HostOsVersion);
        _name = setup.Name;
        _applicationId = setup.ApplicationId;
        _releaseCommit = setup.ReleaseCommit;
        _services = new Dictionary<string, string>(setup.Services);
        _ignoringSigterm = new HashSet<string>(setup.ServicesIgnoringSigterm, StringComparer.Ordinal);
        _volumes = setup.Volumes.Distinct().ToDictionary(v => v, _ => new Dictionary<string, string>());
        _containers = CreateContainers();
        _ipAddresses = setup.IpAddresses.Count > 0 ? [.. setup.IpAddresses] : [MakeUpAddress()];
        _up.SetResult();
        _upSince = _clock.Now;
    }

    /// <summary>Raised after every change of state (outside the device's lock).</summary>
    public event Action<SimulatedDevice>? Changed;

    public SimulationOptions Options => _options;
    public string DeviceType { get; }
    public string AgentVersion { get; }
    public IReadOnlyList<string> IpAddresses => _ipAddresses;

    public string? Uuid => Read(() => _uuid);
    public string? Name => Read(() => _name);
    public string HostOsVersion => Read(() => _hostOsVersion);
    public DevicePower Power => Read(() => _power);
    public bool IsPoweredOn => Power != DevicePower.Off;

    /// <summary>Powered and booted: containers run and the agent may connect.</summary>
    public bool IsUp => Power == DevicePower.Running;

    /// <summary>How many times the device has gone down (reboot, shutdown, host OS update).</summary>
    public int PowerCycles => Read(() => _powerCycles);

    public int? ApplicationId => Read(() => _applicationId);
    public string? ReleaseCommit => Read(() => _releaseCommit);
    public IReadOnlyDictionary<string, string> Services => Read(() => _services);
    public bool UpdateLockHeld => Read(() => _lockHeld);
    public TimeSpan PollInterval => Read(() => _pollInterval);

    /// <summary>The last target state the device accepted (it keeps it across reboots, as on disk).</summary>
    public TargetState? TargetState => Read(() => _target);

    public bool LocalMode => Read(() => _target?.LocalMode ?? false);

    /// <summary>The dashboard's "override lock" (not while in local mode: then the dashboard has no say).</summary>
    public bool LockOverride => Read(() => LockOverridden);

    public IReadOnlyList<SimulatedContainer> Containers =>
        Read(() => _containers.Select(c => c.Snapshot(_ignoringSigterm.Contains(c.Service))).ToList());

    public SimulatedContainer Container(string service) =>
        Containers.SingleOrDefault(c => c.Service == service)
        ?? throw new InvalidOperationException($"No container runs service \"{service}\".");

    /// <summary>The files in /data of the application the device belongs to (path below /data → content).</summary>
    public IReadOnlyDictionary<string, string> Data => Read(() => new Dictionary<string, string>(CurrentData));

    /// <summary>Named volumes (name → files).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Volumes =>
        Read(() => _volumes.ToDictionary(v => v.Key,
            v => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(v.Value)));

    /// <summary>Records the identity the server gave this device when it registered.</summary>
    public void AssignIdentity(string uuid, string name, TimeSpan? pollInterval = null) => Change(() =>
    {
        _uuid = uuid;
        _name = name;
        if (pollInterval > TimeSpan.Zero) _pollInterval = pollInterval.Value;
    });

    /// <summary>
    /// A service writes a file. A path under /data lands in /data and outlives the container; anything
    /// else lands in the container's writable layer and is lost when the container is recreated.
    /// </summary>
    public void WriteFile(string service, string path, string content) => Change(() =>
    {
        var container = RunningContainer(service);
        if (path == "/data" || path.StartsWith("/data/", StringComparison.Ordinal))
            CurrentData[path["/data".Length..].TrimStart('/')] = content;
        else
            container.Layer[path] = content;
    });

    /// <summary>Writes a file into /data (path relative to /data).</summary>
    public void WriteDataFile(string path, string content) => Change(() =>
    {
        RequireUp();
        CurrentData[path.TrimStart('/')] = content;
    });

    /// <summary>Writes a file into a named volume, creating the volume if it does not exist yet.</summary>
    public void WriteVolumeFile(string volume, string path, string content) => Change(() =>
    {
        RequireUp();
        if (!_volumes.TryGetValue(volume, out var files)) _volumes[volume] = files = [];
        files[path.TrimStart('/')] = content;
    });

    /// <summary>The application takes its update lock: actions and updates wait or are refused.</summary>
    public void HoldLock() => Change(() =>
    {
        RequireUp();
        _lockHeld = true;
    });

    /// <summary>The application lets go of its lock; an update that was waiting goes ahead.</summary>
    public void ReleaseLock() => Change(() =>
    {
        _lockHeld = false;
        Reconcile();
    });

    public void SetIgnoresSigterm(string service, bool ignores = true) => Change(() =>
    {
        if (ignores) _ignoringSigterm.Add(service);
        else _ignoringSigterm.Remove(service);
    });

    /// <summary>Someone presses the power button of a shut-down device: it boots and comes back.</summary>
    public void PowerOn() => Change(() =>
    {
        if (_power != DevicePower.Off) return;
        _power = DevicePower.Booting;
        Boot();
    });

    /// <summary>Completes when the device is up (at once if it is).</summary>
    public Task WhenUpAsync(CancellationToken cancellationToken = default) =>
        Read(() => _up.Task).WaitAsync(cancellationToken);

    /// <summary>The device's state as its agent reports it.</summary>
    public DeviceReport ToReport() => Read(() => new DeviceReport(DeviceProtocol.Version, _hostOsVersion,
        AgentVersion, _releaseCommit, _ipAddresses, _lockHeld, _work, _progress));

    public override string ToString() => $"{_uuid ?? "(unregistered)"} {DeviceType} host OS {HostOsVersion}";

    private bool LockOverridden => _target is { LocalMode: false, LockOverride: true };
    private bool OnNamedVolumes => _hostOs >= FleetVersion.NamedVolumesFrom;

    private Dictionary<string, string> CurrentData
    {
        get
        {
            var key = _applicationId ?? 0;
            if (!_dataByApplication.TryGetValue(key, out var files)) _dataByApplication[key] = files = [];
            return files;
        }
    }

    private T Read<T>(Func<T> read)
    {
        lock (_gate) return read();
    }

    private void Change(Action change)
    {
        lock (_gate) change();
        Changed?.Invoke(this);
    }

    private void RequireUp()
    {
        if (_power != DevicePower.Running)
            throw new InvalidOperationException($"The device is {_power.ToString().ToLowerInvariant()}: nothing runs on it.");
    }

    /// <summary>Runs <paramref name="step"/> under the lock after <paramref name="delay"/>, unless the device went down meanwhile.</summary>
    private void After(TimeSpan delay, Action step)
    {
        var cycle = _powerCycles;
        IDisposable? handle = null;
        handle = _clock.Schedule(delay, () =>
        {
            lock (_gate)
            {
                // Real timers may fire on another thread before Schedule returned; the lock makes them wait for it.
                if (handle is not null) _scheduled.Remove(handle);
                if (cycle != _powerCycles) return;
                step();
            }
            Changed?.Invoke(this);
        });
        _scheduled.Add(handle);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string MakeUpAddress()
    {
        var n = Interlocked.Increment(ref s_lastAddress);
        return $"10.{(n >> 16) & 0xFF}.{(n >> 8) & 0xFF}.{n & 0xFF}";
    }
}
