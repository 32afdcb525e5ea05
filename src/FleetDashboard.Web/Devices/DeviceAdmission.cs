using System.Collections.Concurrent;
using System.Globalization;
using FleetDashboard.Core.Protocol;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

public sealed class DeviceAdmissionOptions
{
    /// <summary>
    /// Device connections being set up at once on this node: from the signed-in device's WebSocket request until the
    /// hub has recorded its connection. Zero admits every one.
    /// </summary>
    public int MostConnectingAtOnce { get; set; } = 500;

    /// <summary>
    /// How long a device waits at the door for room before it is answered 503 with Retry-After and comes back with its
    /// back-off. Before the WebSocket is accepted, so no handshake timer runs while it waits.
    /// </summary>
    public TimeSpan LongestWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What the Retry-After of a device turned away says.</summary>
    public int RetryAfterSeconds { get; set; } = 5;
}

/// <summary>
/// Admits device connections at the rate the node can set them up. A fleet coming back after a restart arrives all at
/// once; let in together, its handshakes queue behind each other on the node's few cores until they time out, every
/// device tries again, and the node spends its time on work it throws away. Here the rest wait at the door, before
/// their WebSocket is accepted, and go in as those ahead are recorded; only one that waited
/// <see cref="DeviceAdmissionOptions.LongestWait"/>, or one that arrives while the node stops, is turned away (503,
/// Retry-After). Turning every one over the limit away at once was tried first: the agents' back-off doubled with each
/// refusal and 10,000 devices took 65 s to come back to one node instead of 33 s. A connection counts from its
/// admission until the hub has recorded it (<see cref="Admitted"/>), or until its request ends, whichever comes first.
/// Runs after sign-in: only a device's own WebSocket requests wait here, and a device has one place at the door at a
/// time, so no credential can hold the door shut for the others.
/// </summary>
public sealed partial class DeviceAdmission
{
    private readonly DeviceAdmissionOptions _options;
    private readonly ILogger<DeviceAdmission> _logger;
    private readonly CancellationToken _stopping;
    private readonly SemaphoreSlim? _room;
    private readonly ConcurrentDictionary<string, Ticket> _settingUp = new();
    private int _waiting;
    private long _turnedAway;

    public DeviceAdmission(IOptions<DeviceAdmissionOptions> options, IHostApplicationLifetime lifetime, ILogger<DeviceAdmission> logger)
    {
        _options = options.Value;
        _logger = logger;
        _stopping = lifetime.ApplicationStopping;
        if (_options.MostConnectingAtOnce > 0) _room = new SemaphoreSlim(_options.MostConnectingAtOnce);
    }

    /// <summary>Connections being set up now.</summary>
    public int Connecting => _room is null ? 0 : _options.MostConnectingAtOnce - _room.CurrentCount;

    /// <summary>Connections waiting for room now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Connections turned away since the node started.</summary>
    public long TurnedAway => Interlocked.Read(ref _turnedAway);

    /// <summary>
    /// Middleware before the hub, after sign-in. A device let in at once goes on without this frame kept alive around
    /// its WebSocket request: its place is given back by the hub or, at the latest, when the request ends (disposed
    /// with the response). Only one that had to wait keeps the frame.
    /// </summary>
    public Task AdmitAsync(HttpContext http, RequestDelegate next)
    {
        if (_room is null || !http.Request.Path.StartsWithSegments(DeviceProtocol.HubPath) || !AsksForWebSocket(http)
            || http.User.FindFirst(DeviceCredentials.DeviceIdClaim)?.Value is not { } deviceId)
            return next(http);
        var ticket = new Ticket(this, deviceId);
        if (!_settingUp.TryAdd(deviceId, ticket))
        {
            // Its agent holds one connection at a time: a second set-up at once is not the agent's, and waits for nothing.
            Refuse(http, StatusCodes.Status429TooManyRequests);
            return Task.CompletedTask;
        }
        return !_stopping.IsCancellationRequested && _room.Wait(0) ? Enter(http, next, ticket) : WaitThenEnterAsync(http, next, ticket);
    }

    private async Task WaitThenEnterAsync(HttpContext http, RequestDelegate next, Ticket ticket)
    {
        if (!await WaitForRoomAsync(http.RequestAborted))
        {
            ticket.GiveBackDeviceId();
            if (http.RequestAborted.IsCancellationRequested) return;
            if (Interlocked.Increment(ref _turnedAway) % 1000 == 1) LogTurnedAway(_options.MostConnectingAtOnce, _options.LongestWait.TotalSeconds, TurnedAway);
            Refuse(http, StatusCodes.Status503ServiceUnavailable);
            return;
        }
        await Enter(http, next, ticket);
    }

    private static Task Enter(HttpContext http, RequestDelegate next, Ticket ticket)
    {
        http.Items[typeof(Ticket)] = ticket;
        http.Response.RegisterForDispose(ticket);
        return next(http);
    }

    /// <summary>
    /// The upgrade header, not <c>http.WebSockets</c>: the WebSocket feature is added by the middleware SignalR runs
    /// inside its own endpoint, after this one.
    /// </summary>
    private static bool AsksForWebSocket(HttpContext http) =>
        string.Equals(http.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase);

    private void Refuse(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>True with a place taken; false when the wait was too long, the device left, or the node is stopping.</summary>
    private async Task<bool> WaitForRoomAsync(CancellationToken aborted)
    {
        if (_stopping.IsCancellationRequested) return false;
        Interlocked.Increment(ref _waiting);
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping);
            return await _room!.WaitAsync(_options.LongestWait, either.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>The hub has recorded (or refused) the connection of this request: it no longer counts as being set up.</summary>
    public static void Admitted(HttpContext? http)
    {
        if (http is not null && http.Items.TryGetValue(typeof(Ticket), out var held) && held is Ticket ticket) ticket.Done();
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Devices waited more than {Seconds} s for one of {Most} places to connect: turned away to come back later ({TurnedAway} so far).")]
    private partial void LogTurnedAway(int most, double seconds, long turnedAway);

    /// <summary>
    /// A device's place at the door: its device id while it waits or is set up, and its place in the room. Only an
    /// admitted connection's ticket is ever done (by the hub, or disposed when its request ends); one turned away gives
    /// back its device id alone.
    /// </summary>
    private sealed class Ticket(DeviceAdmission door, string deviceId) : IDisposable
    {
        private int _done;

        public void Done()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            GiveBackDeviceId();
            door._room!.Release();
        }

        public void GiveBackDeviceId() => door._settingUp.TryRemove(new KeyValuePair<string, Ticket>(deviceId, this));

        public void Dispose() => Done();
    }
}
