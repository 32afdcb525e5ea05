using FleetDashboard.Web.Components.Shared;

namespace FleetDashboard.Web.Tests.Components.Shared;

public class RelativeTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(10, "just now")]
    [InlineData(2 * 60, "2 min ago")]
    [InlineData(59 * 60 + 50, "1 h ago")]
    [InlineData(3 * 3600, "3 h ago")]
    [InlineData(26 * 3600, "1 day ago")]
    [InlineData(11 * 86400, "11 days ago")]
    [InlineData(90 * 86400, "29 Aug 2026")]
    public void Says_how_long_ago_in_words(int secondsAgo, string expected) =>
        Assert.Equal(expected, RelativeTime.Ago(Now.AddSeconds(-secondsAgo), Now));

    [Fact]
    public void The_exact_time_is_in_utc() =>
        Assert.Equal("2026-11-27 11:58:00 UTC", RelativeTime.Exact(new DateTimeOffset(2026, 11, 27, 12, 58, 0, TimeSpan.FromHours(1))));
}
