using System.Collections.Concurrent;
using System.Globalization;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// A token bucket per device, kept across its connections (reconnecting earns nothing). A device over its limit has
/// its extra messages dropped and is told once to slow down; if it goes on, its connection is cut and it is kept out
/// for a back-off that doubles with each cut. Every other device goes on as before.
/// A refusal is expected, not an error: it is never thrown (SignalR logs every exception from a hub method at Error
/// with its stack trace, 95 MB for one device's 10 s flood) but logged here at Warning, once per device per interval
/// with a count.
/// </summary>
public sealed partial class DeviceRateLimit(TimeProvider clock, IOptions<DeviceRateLimitOptions> options, ILogger<DeviceRateLimit> logger)
    : IHubFilter
{
    private readonly ConcurrentDictionary<string, DeviceStanding> _devices = new();
    private readonly DeviceRateLimitOptions _limits = options.Value;

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        // A cut connection's queued messages are dropped unread: served after the cut, they kept the server busy for
        // seconds once the device had stopped (issue 11).
        if (invocation.Context.ConnectionAborted.IsCancellationRequested) return null;
        var verdict = StandingOf(invocation.Context).Take(clock, _limits);
        if (verdict == Verdict.Admitted) return await next(invocation);
        await RefuseAsync(invocation.Context, invocation.Hub, verdict);
        // Answered empty: an exception would be logged at Error with its stack trace, once per refused message.
        return null;
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        // A connection costs a token too, so reconnecting in a loop is flooding like any other.
        var verdict = StandingOf(context.Context).Take(clock, _limits);
        if (verdict == Verdict.Admitted)
        {
            await next(context);
            return;
        }
        await RefuseAsync(context.Context, context.Hub, verdict);
        // Not thrown, for the same reason: the hub never hears of this connection, and its close records nothing.
        context.Context.Abort();
    }

    /// <summary>
    /// Middleware before the hub: a device kept out is answered 429 with Retry-After before any connection is made.
    /// Runs after authorization, which has signed the device in by its credential.
    /// </summary>
    public Task KeepOutAsync(HttpContext http, RequestDelegate next)
    {
        if (!http.Request.Path.StartsWithSegments(DeviceProtocol.HubPath)
            || http.User.FindFirst(DeviceCredentials.DeviceIdClaim)?.Value is not { } deviceId
            || !_devices.TryGetValue(deviceId, out var standing)
            || standing.KeptOutFor(clock) is not { } remaining)
            return next(http);

        if (standing.CountRefusal(clock, _limits.LogInterval) is { } refused)
            LogKeptOut(Describe(http.User.FindFirst(DeviceCredentials.UuidClaim)?.Value, deviceId), refused, remaining);
        var seconds = Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return http.Response.WriteAsync($"This device flooded the server and is kept out for {seconds} s more.");
    }

    /// <summary>What the limit has seen of a device, for tests and diagnostics; null for a device it has not met.</summary>
    public DeviceStandingSnapshot? Standing(int deviceId) =>
        _devices.TryGetValue(deviceId.ToString(CultureInfo.InvariantCulture), out var standing) ? standing.Snapshot(clock) : null;

    private async Task RefuseAsync(HubCallerContext caller, Hub hub, Verdict verdict)
    {
        var device = Describe(caller);
        var standing = StandingOf(caller);
        switch (verdict)
        {
            case Verdict.Warned:
                LogWarned(device, _limits.PerSecond, _limits.Burst, _limits.RefusalsBeforeCut);
                standing.Logged(clock);
                await hub.Clients.Caller.SendAsync(DeviceProtocol.SlowDown,
                    $"Too many messages: at most {_limits.PerSecond} a second, {_limits.Burst} at once. Messages over the limit are " +
                    $"dropped; after {_limits.RefusalsBeforeCut} more this connection is cut and the device kept out for a while.");
                break;
            case Verdict.Cut:
                var snapshot = standing.Snapshot(clock);
                LogCut(device, snapshot.Refused, _limits.KeepOutAfter(snapshot.Cuts), snapshot.Cuts);
                standing.Logged(clock);
                caller.Abort();
                break;
            default:
                // Dropped after the warning, or arrived while kept out: counted, and logged once an interval at most.
                if (standing.CountRefusal(clock, _limits.LogInterval) is { } refused) LogRefused(device, refused, _limits.LogInterval);
                if (verdict == Verdict.KeptOut) caller.Abort();
                break;
        }
    }

    private DeviceStanding StandingOf(HubCallerContext caller) =>
        _devices.GetOrAdd(caller.User?.FindFirst(DeviceCredentials.DeviceIdClaim)?.Value ?? caller.ConnectionId,
            _ => new DeviceStanding(clock.GetTimestamp(), _limits.Burst));

    private static string Describe(HubCallerContext caller) =>
        Describe(caller.User?.FindFirst(DeviceCredentials.UuidClaim)?.Value, caller.User?.FindFirst(DeviceCredentials.DeviceIdClaim)?.Value);

    private static string Describe(string? uuid, string? deviceId) => $"{uuid?[..Math.Min(7, uuid.Length)] ?? "?"} (#{deviceId ?? "?"})";

    [LoggerMessage(1, LogLevel.Warning, "Device {Device} is over its message limit ({PerSecond}/s, {Burst} at once): told to slow down; " +
        "its extra messages are dropped, and after {RefusalsBeforeCut} more it is cut.")]
    private partial void LogWarned(string device, double perSecond, int burst, int refusalsBeforeCut);

    [LoggerMessage(2, LogLevel.Warning, "Device {Device} went on flooding after its warning ({Refused} messages refused in all): " +
        "cut and kept out for {KeepOut} (cut number {Cuts} in a row).")]
    private partial void LogCut(string device, long refused, TimeSpan keepOut, int cuts);

    [LoggerMessage(3, LogLevel.Warning, "Device {Device}: {Count} messages over its limit dropped (logged at most once per {Interval}).")]
    private partial void LogRefused(string device, int count, TimeSpan interval);

    [LoggerMessage(4, LogLevel.Warning, "Device {Device}: {Count} connection attempts refused while it is kept out ({Remaining} left).")]
    private partial void LogKeptOut(string device, int count, TimeSpan remaining);
}

public sealed class DeviceRateLimitOptions
{
    /// <summary>Messages (and connections) a device may send at once, and how many a second it earns back.</summary>
    public int Burst { get; set; } = 60;
    public double PerSecond { get; set; } = 20;

    /// <summary>Messages refused after the warning before the device is cut.</summary>
    public int RefusalsBeforeCut { get; set; } = 20;

    /// <summary>How long a device is kept out after its first cut; doubled for each further cut, up to <see cref="MaxKeepOut"/>.</summary>
    public TimeSpan FirstKeepOut { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxKeepOut { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Refusals of one device are logged at most once in this interval, with their count.</summary>
    public TimeSpan LogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The keep-out after a device's <paramref name="cuts"/>-th cut in a row (a device cut once long ago starts again at 1).</summary>
    public TimeSpan KeepOutAfter(int cuts) =>
        TimeSpan.FromTicks((long)Math.Min(MaxKeepOut.Ticks, FirstKeepOut.Ticks * Math.Pow(2, Math.Clamp(cuts, 1, 30) - 1)));
}
