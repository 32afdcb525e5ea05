using System.Globalization;
using FleetDashboard.Core.Protocol;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

public sealed class DeviceAdmissionOptions
{
    /// <summary>Device connections being set up at once on this node (signed in, handshake, connection recorded). Zero admits every one.</summary>
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
/// <see cref="DeviceAdmissionOptions.LongestWait"/> is turned away (503, Retry-After). Turning every one over the limit
/// away at once was tried first: the agents' back-off doubled with each refusal and 10,000 devices took 65 s to come
/// back to one node instead of 33 s. A connection counts from its admission until the hub has recorded it
/// (<see cref="Admitted"/>), or until its request ends, whichever comes first.
/// </summary>
public sealed partial class DeviceAdmission
{
    private readonly DeviceAdmissionOptions _options;
    private readonly ILogger<DeviceAdmission> _logger;
    private readonly SemaphoreSlim? _room;
    private int _waiting;
    private long _turnedAway;

    public DeviceAdmission(IOptions<DeviceAdmissionOptions> options, ILogger<DeviceAdmission> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (_options.MostConnectingAtOnce > 0) _room = new SemaphoreSlim(_options.MostConnectingAtOnce);
    }

    /// <summary>Connections being set up now.</summary>
    public int Connecting => _room is null ? 0 : _options.MostConnectingAtOnce - _room.CurrentCount;

    /// <summary>Connections waiting for room now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Connections turned away since the node started.</summary>
    public long TurnedAway => Interlocked.Read(ref _turnedAway);

    /// <summary>Middleware before the hub.</summary>
    public async Task AdmitAsync(HttpContext http, RequestDelegate next)
    {
        if (_room is null || !http.Request.Path.StartsWithSegments(DeviceProtocol.HubPath))
        {
            await next(http);
            return;
        }
        if (!await WaitForRoomAsync(http.RequestAborted))
        {
            if (http.RequestAborted.IsCancellationRequested) return;
            if (Interlocked.Increment(ref _turnedAway) % 1000 == 1) LogTurnedAway(_options.MostConnectingAtOnce, _options.LongestWait.TotalSeconds, TurnedAway);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return;
        }
        var ticket = new Ticket(_room);
        http.Items[typeof(Ticket)] = ticket;
        try
        {
            await next(http);
        }
        finally
        {
            ticket.Done();
        }
    }

    private async Task<bool> WaitForRoomAsync(CancellationToken aborted)
    {
        if (_room!.Wait(0)) return true;
        Interlocked.Increment(ref _waiting);
        try
        {
            return await _room.WaitAsync(_options.LongestWait, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
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
        if (http?.Items[typeof(Ticket)] is Ticket ticket) ticket.Done();
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Devices waited more than {Seconds} s for one of {Most} places to connect: turned away to come back later ({TurnedAway} so far).")]
    private partial void LogTurnedAway(int most, double seconds, long turnedAway);

    private sealed class Ticket(SemaphoreSlim room)
    {
        private int _done;

        public void Done()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) room.Release();
        }
    }
}
