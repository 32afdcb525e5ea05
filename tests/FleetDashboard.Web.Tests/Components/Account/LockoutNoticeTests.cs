using FleetDashboard.Web.Components.Account;

namespace FleetDashboard.Web.Tests.Components.Account;

public sealed class LockoutNoticeTests
{
    private static readonly TimeSpan Lockout = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 0, 1, 10, TimeSpan.Zero);

    [Fact]
    public void A_fresh_lock_says_the_minute_after_which_to_try_again_and_how_long_that_is()
    {
        Assert.Equal("Try again after 00:07 UTC, in 5 minutes.", LockoutNotice.WhenToTryAgain(Now + Lockout, Now, Lockout));
    }

    [Fact]
    public void A_lock_ending_on_the_minute_is_not_rounded_and_the_last_minute_is_singular()
    {
        var end = new DateTimeOffset(2026, 12, 7, 0, 2, 0, TimeSpan.Zero);
        Assert.Equal("Try again after 00:02 UTC, in 1 minute.", LockoutNotice.WhenToTryAgain(end, Now, Lockout));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(-60)]     // already over
    [InlineData(86_400)]  // further off than any lock: not what the sign-in page sent
    public void An_end_that_is_missing_past_or_implausible_gets_the_lockout_s_length_alone(int? secondsFromNow)
    {
        DateTimeOffset? end = secondsFromNow is { } s ? Now.AddSeconds(s) : null;
        Assert.Equal("Wait 5 minutes, then try again.", LockoutNotice.WhenToTryAgain(end, Now, Lockout));
    }
}
