using System.Globalization;

namespace FleetDashboard.Web.Components.Account;

/// <summary>
/// When a lock ends, as the lockout page says it: the minute after which to try again (rounded up, so "after" holds)
/// and how long that is from now. The end comes in the page's address, so only a plausible one is believed: in the
/// future and no further off than one lockout (<see cref="For"/> gives null for anything else).
/// </summary>
public sealed record LockoutNotice(DateTimeOffset After, int MinutesLeft)
{
    public static LockoutNotice? For(DateTimeOffset? end, DateTimeOffset now, TimeSpan lockout)
    {
        if (end is not { } until || until <= now || until > now + lockout) return null;
        var rest = until.Ticks % TimeSpan.TicksPerMinute;
        var after = rest == 0 ? until : until.AddTicks(TimeSpan.TicksPerMinute - rest);
        return new LockoutNotice(after, (int)Math.Ceiling((until - now).TotalMinutes));
    }

    /// <summary>"00:07 UTC": the server does not know the reader's time zone (the page's script shows their own).</summary>
    public string UtcClock => After.UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>For a &lt;time datetime&gt;: the instant, in ISO 8601.</summary>
    public string Instant => After.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public string Left => Minutes(MinutesLeft);

    public static string Length(TimeSpan lockout) => Minutes((int)Math.Ceiling(lockout.TotalMinutes));

    private static string Minutes(int count) => count == 1 ? "1 minute" : $"{count} minutes";
}
