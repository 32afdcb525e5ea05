using FleetDashboard.Web.Components.Account;

namespace FleetDashboard.Web.Tests.Components.Account;

public sealed class LockoutNoticeTests
{
    private static readonly TimeSpan Lockout = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 0, 1, 10, TimeSpan.Zero);

    [Fact]
    public void A_fresh_lock_says_the_minute_after_which_to_try_again_and_how_long_that_is()
    {
        var notice = LockoutNotice.For(Now + Lockout, Now, Lockout);

        Assert.NotNull(notice);
        Assert.Equal("00:07 UTC", notice.UtcClock);
        Assert.Equal("2026-12-07T00:07:00Z", notice.Instant);
        Assert.Equal("5 minutes", notice.Left);
    }

    [Fact]
    public void A_lock_ending_on_the_minute_is_not_rounded_and_the_last_minute_is_singular()
    {
        var notice = LockoutNotice.For(new DateTimeOffset(2026, 12, 7, 0, 2, 0, TimeSpan.Zero), Now, Lockout);

        Assert.NotNull(notice);
        Assert.Equal("00:02 UTC", notice.UtcClock);
        Assert.Equal("1 minute", notice.Left);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(-60)]     // already over
    [InlineData(86_400)]  // further off than any lock: not what the sign-in page sent
    public void An_end_that_is_missing_past_or_implausible_is_not_believed(int? secondsFromNow)
    {
        DateTimeOffset? end = secondsFromNow is { } s ? Now.AddSeconds(s) : null;
        Assert.Null(LockoutNotice.For(end, Now, Lockout));
    }

    [Fact]
    public void The_lockout_s_length_reads_in_minutes() => Assert.Equal("5 minutes", LockoutNotice.Length(Lockout));
}
