using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// A token bucket per device connection: a device that floods the server has its extra messages refused,
/// and every other device goes on as before.
/// </summary>
public sealed class DeviceRateLimit(TimeProvider clock) : IHubFilter
{
    /// <summary>Messages a device may send at once, and how many a second it earns back.</summary>
    public const int Burst = 60;
    public const double PerSecond = 20;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var bucket = _buckets.GetOrAdd(invocation.Context.ConnectionId, _ => new Bucket(clock.GetTimestamp()));
        if (!bucket.TryTake(clock))
            throw new HubException($"Too many messages: at most {PerSecond} a second, {Burst} at once.");
        return next(invocation);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _buckets.TryRemove(context.Context.ConnectionId, out _);
        return next(context, exception);
    }

    private sealed class Bucket(long start)
    {
        private readonly Lock _gate = new();
        private double _tokens = Burst;
        private long _last = start;

        public bool TryTake(TimeProvider clock)
        {
            lock (_gate)
            {
                var now = clock.GetTimestamp();
                _tokens = Math.Min(Burst, _tokens + clock.GetElapsedTime(_last, now).TotalSeconds * PerSecond);
                _last = now;
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }
    }
}
