using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// A token bucket per device, kept across its connections (reconnecting earns nothing): a device that
/// floods the server has its extra messages and connections refused, and every other device goes on as before.
/// </summary>
public sealed class DeviceRateLimit(TimeProvider clock, IOptions<DeviceRateLimitOptions> options) : IHubFilter
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
    private readonly DeviceRateLimitOptions _limits = options.Value;

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (!BucketOf(invocation.Context).TryTake(clock, _limits))
            throw new HubException($"Too many messages: at most {_limits.PerSecond} a second, {_limits.Burst} at once.");
        return next(invocation);
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        // A connection costs a token too, so reconnecting in a loop is flooding like any other.
        if (!BucketOf(context.Context).TryTake(clock, _limits))
            throw new HubException("Too many connections: slow down.");
        return next(context);
    }

    private Bucket BucketOf(HubCallerContext caller) =>
        _buckets.GetOrAdd(caller.User?.FindFirst(DeviceCredentials.DeviceIdClaim)?.Value ?? caller.ConnectionId,
            _ => new Bucket(clock.GetTimestamp(), _limits.Burst));

    private sealed class Bucket(long start, int burst)
    {
        private readonly Lock _gate = new();
        private double _tokens = burst;
        private long _last = start;

        public bool TryTake(TimeProvider clock, DeviceRateLimitOptions limits)
        {
            lock (_gate)
            {
                var now = clock.GetTimestamp();
                _tokens = Math.Min(limits.Burst, _tokens + clock.GetElapsedTime(_last, now).TotalSeconds * limits.PerSecond);
                _last = now;
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }
    }
}

public sealed class DeviceRateLimitOptions
{
    /// <summary>Messages (and connections) a device may send at once, and how many a second it earns back.</summary>
    public int Burst { get; set; } = 60;
    public double PerSecond { get; set; } = 20;
}
