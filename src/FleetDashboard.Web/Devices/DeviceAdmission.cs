using System.Globalization;
using FleetDashboard.Core.Protocol;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

public sealed class DeviceAdmissionOptions
{
    /// <summary>
    /// Device connections being set up at once on this node (signed in, handshake, connection recorded); those over it
    /// are answered 503 with Retry-After and come back with their back-off. Zero admits every one.
    /// </summary>
    public int MostConnectingAtOnce { get; set; } = 500;

    /// <summary>What the Retry-After of a device turned away says; the agent's own back-off spreads the fleet further.</summary>
    public int RetryAfterSeconds { get; set; } = 2;
}

/// <summary>
/// Admits device connections at the rate the node can set them up. A fleet coming back after a restart arrives all at
/// once; let in together, its handshakes queue behind each other on the node's few cores until they time out, every
/// device tries again, and the node spends its time on work it throws away. Turned away in a few microseconds with
/// 503 instead, a device waits its back-off and finds room. A connection counts from its request until the hub has
/// recorded it (<see cref="Admitted"/>), or until its request ends, whichever comes first.
/// </summary>
public sealed partial class DeviceAdmission(IOptions<DeviceAdmissionOptions> options, ILogger<DeviceAdmission> logger)
{
    private readonly DeviceAdmissionOptions _options = options.Value;
    private int _connecting;
    private long _turnedAway;

    /// <summary>Connections being set up now.</summary>
    public int Connecting => Volatile.Read(ref _connecting);

    /// <summary>Connections turned away since the node started.</summary>
    public long TurnedAway => Interlocked.Read(ref _turnedAway);

    /// <summary>Middleware before the hub.</summary>
    public async Task AdmitAsync(HttpContext http, RequestDelegate next)
    {
        if (_options.MostConnectingAtOnce <= 0 || !http.Request.Path.StartsWithSegments(DeviceProtocol.HubPath))
        {
            await next(http);
            return;
        }
        if (Interlocked.Increment(ref _connecting) > _options.MostConnectingAtOnce)
        {
            Interlocked.Decrement(ref _connecting);
            if (Interlocked.Increment(ref _turnedAway) % 1000 == 1) LogTurnedAway(_options.MostConnectingAtOnce, TurnedAway);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return;
        }
        var ticket = new Ticket(this);
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

    /// <summary>The hub has recorded (or refused) the connection of this request: it no longer counts as connecting.</summary>
    public static void Admitted(HttpContext? http)
    {
        if (http?.Items[typeof(Ticket)] is Ticket ticket) ticket.Done();
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "More than {Most} devices connecting at once: turning the rest away to come back later ({TurnedAway} so far).")]
    private partial void LogTurnedAway(int most, long turnedAway);

    private sealed class Ticket(DeviceAdmission admission)
    {
        private int _done;

        public void Done()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref admission._connecting);
        }
    }
}
