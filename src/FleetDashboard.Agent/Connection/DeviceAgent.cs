using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetDashboard.Agent.Connection;

/// <summary>
/// The agent of one device: holds its live connection to the server's device hub, reports and heartbeats,
/// answers actions, follows its target state, and comes back after any drop, with back-off, forever. It
/// stops only when disposed or when the server refuses its credential. A rebooting device reconnects when
/// booted; a shut-down one when powered on.
/// </summary>
public sealed partial class DeviceAgent : IAsyncDisposable
{
    // How long the agent waits for its last round trip before a power cycle closes the connection.
    private static readonly TimeSpan LastWordsTimeout = TimeSpan.FromSeconds(5);

    private readonly SimulationOptions _options;
    private readonly HubConnection _connection;
    private readonly ReconnectBackoff _backoff;
    private readonly IDeviceWebServer _webServer;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<(int ConnectionCount, TaskCompletionSource Signal)> _connectionWaiters = [];
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<Exception?> _closed = NewClosedSignal();
    private Task _running = Task.CompletedTask;
    private IDisposable? _heartbeats;
    private IDisposable? _polls;
    private AgentState _state = AgentState.Stopped;
    private int _connectionCount;
    private int _connectionPowerCycle;
    private int _droppedForPowerCycle = -1;
    private Exception? _refusal;
    private string? _stopReason;
    private bool _started;
    private bool _disposed;

    public DeviceAgent(Uri server, DeviceIdentity identity, SimulatedDevice device, SimulationOptions? options = null)
    {
        Server = server;
        Identity = identity;
        Device = device;
        _options = options ?? device.Options;
        _logger = (_options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DeviceAgent>();
        _backoff = new ReconnectBackoff(_options, error => _refusal = error);
        _webServer = _options.WebServer is { } webServer ? new LocalWebServer(webServer) : device;
        var builder = new HubConnectionBuilder()
            .WithUrl(HubUrl(server), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(identity.Credential);
                // Straight to the WebSocket: a negotiate request would leave a second, kept-alive socket per
                // device on the server, and at 10,000 devices that doubles its open files (20,000 is a common limit).
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                _options.ConfigureConnection?.Invoke(o);
            })
            .WithAutomaticReconnect(_backoff);
        if (_options.LoggerFactory is { } loggerFactory) builder.Services.AddSingleton(loggerFactory);
        _connection = builder.Build();

        _connection.On<ActionCommand, ActionResult>(DeviceProtocol.RunAction, RunActionAsync);
        _connection.On<PublicUrlRequest, PublicUrlResponse>(DeviceProtocol.ServePublicUrl, ServePublicUrlAsync);
        _connection.On<string, byte[]>(DeviceProtocol.ReadPublicUrlBody, ReadPublicUrlBodyAsync);
        _connection.On(DeviceProtocol.TargetStateChanged, () =>
        {
            // Fetched by the target-state loop, not here: a handler that waited on the server would hold up the next message.
            PollNow();
            return Task.CompletedTask;
        });
        _connection.On<string>(DeviceProtocol.SlowDown, reason =>
        {
            _logger.LogWarning("Device {Device}: the server says to slow down: {Reason}", Identity, reason);
            return Task.CompletedTask;
        });
        _connection.Reconnecting += _ =>
        {
            SetState(AgentState.Reconnecting);
            return Task.CompletedTask;
        };
        _connection.Reconnected += _ =>
        {
            OnConnected();
            return Task.CompletedTask;
        };
        _connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    public Uri Server { get; }
    public DeviceIdentity Identity { get; }
    public SimulatedDevice Device { get; }

    public AgentState State
    {
        get { lock (_gate) return _state; }
    }

    public bool IsConnected => State == AgentState.Connected;

    /// <summary>How many times the agent has connected (the first time and every reconnect).</summary>
    public int ConnectionCount
    {
        get { lock (_gate) return _connectionCount; }
    }

    /// <summary>Why the agent gave up, when it has (a refused credential).</summary>
    public string? StopReason
    {
        get { lock (_gate) return _stopReason; }
    }

    public event Action<DeviceAgent>? StateChanged;

    /// <summary>
    /// Starts the agent. Completes after its first attempt to connect, whether or not it succeeded (it keeps
    /// trying in the background), or at once when the device is down.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started) throw new InvalidOperationException("The agent has already been started.");
            _started = true;
        }
        Device.Changed += OnDeviceChanged;
        var stopping = _stopping.Token;
        _running = Task.WhenAll(
            Task.Run(() => Guarded(RunAsync, stopping), CancellationToken.None),
            Task.Run(() => Guarded(SendReportsAsync, stopping), CancellationToken.None),
            Task.Run(() => Guarded(FollowTargetStateAsync, stopping), CancellationToken.None));
        _heartbeats = _options.Clock.Every(() => _options.Scale(_options.HeartbeatInterval), SendHeartbeat);
        _polls = _options.Clock.Every(NextPollWait, PollNow);
        return _firstAttempt.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Completes when the agent is connected: at once if it is, else on its next connection.</summary>
    public Task WhenConnectedAsync(CancellationToken cancellationToken = default)
    {
        int count;
        lock (_gate) count = _state == AgentState.Connected ? _connectionCount : _connectionCount + 1;
        return WhenConnectedAsync(count, cancellationToken);
    }

    /// <summary>
    /// Completes once the agent has connected <paramref name="connectionCount"/> times in all. Read
    /// <see cref="ConnectionCount"/> before a reboot and await one more to see the device come back, with no race.
    /// Fails at once if the agent gives up.
    /// </summary>
    public Task WhenConnectedAsync(int connectionCount, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_connectionCount >= connectionCount) return Task.CompletedTask;
            if (_stopReason is not null) return Task.FromException(new InvalidOperationException(_stopReason));
            if (_disposed) return Task.FromCanceled(new CancellationToken(true));
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connectionWaiters.Add((connectionCount, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _stopping.Cancel();
        _heartbeats?.Dispose();
        _polls?.Dispose();
        Device.Changed -= OnDeviceChanged;
        try
        {
            await _connection.StopAsync();
        }
        catch (Exception error)
        {
            _logger.LogDebug(error, "Device {Device}: stopping the connection failed.", Identity);
        }
        await _running;
        await _connection.DisposeAsync();
        StopServingPublicUrls();
        // A StartAsync still waiting for its first attempt learns that there will be none.
        _firstAttempt.TrySetCanceled();
        List<TaskCompletionSource> waiting;
        lock (_gate)
        {
            waiting = _connectionWaiters.Select(w => w.Signal).ToList();
            _connectionWaiters.Clear();
        }
        foreach (var signal in waiting) signal.TrySetCanceled();
        SetState(AgentState.Stopped);
    }

    public override string ToString() => $"agent of {Identity}: {State}";

    /// <summary>The connection's life: connect while the device is up, wait for the close, back off, again.</summary>
    private async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (true)
        {
            if (!Device.IsUp)
            {
                SetState(AgentState.DeviceDown);
                _firstAttempt.TrySetResult();
                await Device.WhenUpAsync(stopping);
                failures = 0;
            }

            var closed = _closed = NewClosedSignal();
            var powerCycle = _connectionPowerCycle = Device.PowerCycles;
            Exception? failure;
            try
            {
                SetState(AgentState.Connecting);
                await _connection.StartAsync(stopping);
                OnConnected();
                failures = 0;
                _firstAttempt.TrySetResult();
                // SignalR reconnects by itself after a drop; this returns when it has given up or was stopped.
                failure = await closed.Task.WaitAsync(stopping);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                failure = error;
            }

            if ((_refusal ?? (ReconnectBackoff.IsCredentialRefused(failure) ? failure : null)) is { } refusal)
            {
                Refuse(refusal);
                return;
            }
            // Closed because the device went down: wait for it to come back, no back-off.
            if (!Device.IsUp || Device.PowerCycles != powerCycle) continue;

            SetState(AgentState.Reconnecting);
            _firstAttempt.TrySetResult();
            if (failure is not null)
                _logger.LogDebug(failure, "Device {Device}: connection failed; trying again.", Identity);
            await Task.Delay(_backoff.DelayAfter(failures++), stopping);
        }
    }

    private void OnConnected()
    {
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            _connectionCount++;
            _state = AgentState.Connected;
            ready = _connectionWaiters.Where(w => w.ConnectionCount <= _connectionCount).Select(w => w.Signal).ToList();
            _connectionWaiters.RemoveAll(w => w.ConnectionCount <= _connectionCount);
        }
        foreach (var signal in ready) signal.TrySetResult();
        StateChanged?.Invoke(this);
        // A fresh connection tells the server everything, and asks what it missed while away.
        RequestReport();
        PollNow();
    }

    private void OnDeviceChanged(SimulatedDevice device)
    {
        var powerCycle = device.PowerCycles;
        if (powerCycle != Volatile.Read(ref _connectionPowerCycle)
            && Interlocked.Exchange(ref _droppedForPowerCycle, powerCycle) != powerCycle)
        {
            _ = DropForPowerCycleAsync();
            return;
        }
        RequestReport();
    }

    /// <summary>
    /// The device went down (reboot, shutdown, a host OS install): its connection goes with it. The answer to the
    /// command that took it down may still be in the making or on its way out: the drop waits for the answer,
    /// then makes two round trips to the server, the second of which starts only after the answer was sent,
    /// and the server reads a connection's messages in order: it records "succeeded", not a lost connection.
    /// </summary>
    private async Task DropForPowerCycleAsync()
    {
        try
        {
            await Volatile.Read(ref _answering).WaitAsync(LastWordsTimeout);
            for (var trip = 0; trip < 2 && _connection.State == HubConnectionState.Connected; trip++)
                await _connection.InvokeAsync(DeviceProtocol.Heartbeat, _stopping.Token).WaitAsync(LastWordsTimeout);
        }
        catch (Exception error)
        {
            _logger.LogDebug(error, "Device {Device}: no last heartbeat before going down.", Identity);
        }
        try
        {
            await _connection.StopAsync();
        }
        catch (Exception error)
        {
            _logger.LogDebug(error, "Device {Device}: stopping the connection failed.", Identity);
        }
    }

    private void Refuse(Exception refusal)
    {
        var reason = $"The server refused the credential of device {Identity.Uuid} (HTTP 401): the device was " +
            "deleted, or its credential revoked. The agent has stopped trying; the device must register again.";
        List<TaskCompletionSource> waiting;
        lock (_gate)
        {
            _stopReason = reason;
            _state = AgentState.Refused;
            waiting = _connectionWaiters.Select(w => w.Signal).ToList();
            _connectionWaiters.Clear();
        }
        _logger.LogError(refusal, "{Reason}", reason);
        foreach (var signal in waiting) signal.TrySetException(new InvalidOperationException(reason));
        _firstAttempt.TrySetResult();
        StateChanged?.Invoke(this);
    }

    private void SetState(AgentState state)
    {
        lock (_gate)
        {
            if (_state == state || _state == AgentState.Refused) return;
            _state = state;
        }
        StateChanged?.Invoke(this);
    }

    private async Task Guarded(Func<CancellationToken, Task> loop, CancellationToken stopping)
    {
        try
        {
            await loop(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            _logger.LogError(error, "Device {Device}: the agent stopped on an unexpected error.", Identity);
            _firstAttempt.TrySetResult();
        }
    }

    private static Uri HubUrl(Uri server) => new(server.ToString().TrimEnd('/') + DeviceProtocol.HubPath);

    private static TaskCompletionSource<Exception?> NewClosedSignal() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
