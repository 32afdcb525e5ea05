namespace FleetDashboard.Web.Devices;

/// <summary>What the rate limit decides about one message or connection of a device.</summary>
internal enum Verdict
{
    Admitted,
    /// <summary>The first refusal of an episode: the device is told to slow down.</summary>
    Warned,
    /// <summary>Over the limit after the warning: dropped.</summary>
    Refused,
    /// <summary>Over the limit once too often after the warning: the connection is cut and the device kept out.</summary>
    Cut,
    /// <summary>Arrived while the device is kept out.</summary>
    KeptOut,
}

/// <summary>What the limit has seen of a device: refused messages in all, cuts lately, and the keep-out left.</summary>
public sealed record DeviceStandingSnapshot(long Admitted, long Refused, int Cuts, TimeSpan? KeptOutFor);

/// <summary>
/// One device's token bucket and its standing: warned or not, how often it was cut lately, until when it is kept
/// out, and its refusals not yet logged. All under one lock, as a device's messages arrive on any thread.
/// </summary>
internal sealed class DeviceStanding(long start, int burst)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _last = start;
    private bool _warned;
    private int _refusedSinceWarning;
    private int _cuts;
    private long? _lastCut;
    private long? _keptOutUntil;
    private long _admitted;
    private long _refused;
    private int _unlogged;
    private long? _loggedAt;

    public Verdict Take(TimeProvider clock, DeviceRateLimitOptions limits)
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            _tokens = Math.Min(limits.Burst, _tokens + clock.GetElapsedTime(_last, now).TotalSeconds * limits.PerSecond);
            _last = now;
            if (IsKeptOut(now))
            {
                _refused++;
                return Verdict.KeptOut;
            }
            // A full bucket again: the device has been quiet long enough that the episode is over.
            if (_tokens >= limits.Burst) (_warned, _refusedSinceWarning) = (false, 0);
            if (_tokens >= 1)
            {
                _tokens -= 1;
                _admitted++;
                return Verdict.Admitted;
            }

            _refused++;
            if (!_warned)
            {
                (_warned, _refusedSinceWarning) = (true, 0);
                return Verdict.Warned;
            }
            if (++_refusedSinceWarning < limits.RefusalsBeforeCut) return Verdict.Refused;

            // A device cut long ago (past twice the longest keep-out) starts its back-off again from the first.
            _cuts = _lastCut is { } previous && clock.GetElapsedTime(previous, now) < limits.MaxKeepOut * 2 ? _cuts + 1 : 1;
            _lastCut = now;
            _keptOutUntil = now + (long)(limits.KeepOutAfter(_cuts).TotalSeconds * clock.TimestampFrequency);
            (_warned, _refusedSinceWarning) = (false, 0);
            return Verdict.Cut;
        }
    }

    /// <summary>How long the device is still kept out; null when it is not.</summary>
    public TimeSpan? KeptOutFor(TimeProvider clock)
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            return IsKeptOut(now) ? clock.GetElapsedTime(now, _keptOutUntil!.Value) : null;
        }
    }

    /// <summary>Counts a refusal; returns the count to log when the last log of this device is an interval old, else null.</summary>
    public int? CountRefusal(TimeProvider clock, TimeSpan interval)
    {
        lock (_gate)
        {
            _unlogged++;
            var now = clock.GetTimestamp();
            if (_loggedAt is { } logged && clock.GetElapsedTime(logged, now) < interval) return null;
            _loggedAt = now;
            var count = _unlogged;
            _unlogged = 0;
            return count;
        }
    }

    /// <summary>A line about the device was just logged (its warning, its cut): the interval starts again, its count with it.</summary>
    public void Logged(TimeProvider clock)
    {
        lock (_gate) (_loggedAt, _unlogged) = (clock.GetTimestamp(), 0);
    }

    public DeviceStandingSnapshot Snapshot(TimeProvider clock)
    {
        var keptOutFor = KeptOutFor(clock);
        lock (_gate) return new DeviceStandingSnapshot(_admitted, _refused, _cuts, keptOutFor);
    }

    private bool IsKeptOut(long now) => _keptOutUntil is { } until && now < until;
}
