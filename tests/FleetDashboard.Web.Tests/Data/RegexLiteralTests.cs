using FleetDashboard.Web.Data;

namespace FleetDashboard.Web.Tests.Data;

public sealed class RegexLiteralTests
{
    [Theory]
    [InlineData(@"^kiosk-(0[1-5])$", "kiosk-")]
    [InlineData(@"\.1[0-9]$", ".1")]
    [InlineData(@"site-\d+-north", "-north")]
    [InlineData(@"colou?r", "colo")]
    [InlineData(@"ab*cde", "cde")]
    [InlineData(@"a{2}bcd", "bcd")]
    [InlineData(@"10\.0\.2\.", "10.0.2.")]
    [InlineData(@"[abc]xyz", "xyz")]
    [InlineData(@"[]x]yz", "yz")]
    public void The_longest_run_every_match_contains_is_read(string pattern, string literal) =>
        Assert.Equal(literal, RegexLiteral.Required(pattern));

    [Theory]
    [InlineData("north|south")] // either may be absent
    [InlineData("(north)?x")] // an optional group
    [InlineData("(abc)*")]
    [InlineData("(?i)abc")] // options and look-arounds are not read
    [InlineData(@"\p{L}+")]
    [InlineData(@"\x41bc")]
    [InlineData("[a-z-[aeiou]]x")]
    [InlineData(@"\d+")]
    [InlineData("")]
    public void A_pattern_beyond_this_reading_or_without_a_literal_gives_none(string pattern) =>
        Assert.Null(RegexLiteral.Required(pattern));
}
