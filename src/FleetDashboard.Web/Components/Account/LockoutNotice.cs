using System.Globalization;

namespace FleetDashboard.Web.Components.Account;

/// <summary>
/// What the lockout page says about when the lock ends: the clock time (rounded up to the minute, so "after" holds)
/// and how long that is from now. The end comes in the page's address, so only a plausible one is believed: in the
/// future and no further off than one lockout; anything else gets the lockout's length alone.
/// </summary>
public static class LockoutNotice
{
    public static string Length(TimeSpan lockout) => Minutes((int)Math.Ceiling(lockout.TotalMinutes));

    public static string WhenToTryAgain(DateTimeOffset? end, DateTimeOffset now, TimeSpan lockout)
    {
        if (end is not { } until || until <= now || until > now + lockout)
            return $"Wait {Length(lockout)}, then try again.";
        var left = (int)Math.Ceiling((until - now).TotalMinutes);
        return $"Try again after {RoundUpToMinute(until).UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC, in {Minutes(left)}.";
    }

    private static DateTimeOffset RoundUpToMinute(DateTimeOffset at)
    {
        var rest = at.Ticks % TimeSpan.TicksPerMinute;
        return rest == 0 ? at : at.AddTicks(TimeSpan.TicksPerMinute - rest);
    }

    private static string Minutes(int count) => count == 1 ? "1 minute" : $"{count} minutes";
}
