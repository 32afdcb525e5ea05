using System.Collections.Concurrent;

namespace FleetDashboard.Web.Components.Account;

/// <summary>
/// Failed sign-ins for emails that have no account, counted as Identity counts them for real ones: the same number of
/// failures leads to the same lockout page with the same end. Without it, five wrong passwords would tell anyone which
/// emails have accounts (the real ones lock, the others never do). Kept in memory: a restart forgets these counts as
/// it would forget nothing else worth keeping, and the sign-in throttle bounds how fast they grow.
/// </summary>
public sealed class UnknownAccountLockout(TimeProvider clock)
{
    /// <summary>Emails followed at once; past it, expired ones are dropped first (the throttle keeps it far away).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When the lock on <paramref name="email"/> ends, if it is locked now.</summary>
    public DateTimeOffset? LockedUntil(string email) =>
        _entries.TryGetValue(email.Trim(), out var entry) && entry.Until > clock.GetUtcNow() ? entry.Until : null;

    /// <summary>Counts one failure; the lock's end when this failure locks it, as Identity's lockout would.</summary>
    public DateTimeOffset? Fail(string email, int maxFailures, TimeSpan lockout)
    {
        var now = clock.GetUtcNow();
        if (_entries.Count >= Capacity) Forget(now);
        var entry = _entries.AddOrUpdate(email.Trim(),
            _ => Entry.After(1, maxFailures, now, lockout),
            (_, old) => old.Until > now ? old : Entry.After(old.Failures + 1, maxFailures, now, lockout));
        return entry.Until > now ? entry.Until : null;
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var (email, entry) in _entries)
            if (entry.Until is not { } until || until <= now) _entries.TryRemove(email, out _);
    }

    private sealed record Entry(int Failures, DateTimeOffset? Until)
    {
        // Identity sets the lock and starts counting again from zero when the failures reach the limit.
        public static Entry After(int failures, int maxFailures, DateTimeOffset now, TimeSpan lockout) =>
            failures >= maxFailures ? new Entry(0, now + lockout) : new Entry(failures, null);
    }
}
