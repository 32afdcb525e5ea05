using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Tests.Devices;

/// <summary>Versions compare as numbers, not text.</summary>
public class FleetVersionTests
{
    private static FleetVersion V(string text) => FleetVersion.Parse(text);

    [Fact]
    public void Minor_versions_compare_as_numbers()
    {
        Assert.True(V("2.9.0") < V("2.12.0"));
        Assert.True(V("2.12.0") > V("2.9.0"));
        Assert.True(string.CompareOrdinal("2.9.0", "2.12.0") > 0); // as text it would be the other way round
    }

    [Theory]
    [InlineData("2.12.7+rev9", "2.13.0")]
    [InlineData("1.0.9", "v1.1.0")]
    public void A_revision_or_a_prefix_does_not_outweigh_the_numbers(string lower, string higher)
    {
        Assert.True(V(lower) < V(higher));
    }

    [Fact]
    public void The_thresholds_are_host_OS_2_12_0_and_agent_1_1_0()
    {
        Assert.Equal(V("2.12.0"), FleetVersion.NamedVolumesFrom);
        Assert.Equal(V("1.1.0"), FleetVersion.DeviceActionsFrom);
    }

    [Fact]
    public void Revision_orders_after_the_plain_version()
    {
        Assert.True(V("2.12.7+rev1") > V("2.12.7"));
        Assert.True(V("2.12.7+rev1") < V("2.12.8"));
        Assert.True(V("2.12.7+rev2") > V("2.12.7+rev1"));
        Assert.Equal("2.12.7+rev1", V("2.12.7+rev1").ToString());
    }

    [Theory]
    [InlineData("v1.1.0", "1.1.0")]
    [InlineData("V1.1.0", "1.1.0")]
    [InlineData("2.12", "2.12.0")]
    [InlineData(" 2.12.0 ", "2.12.0")]
    [InlineData("2.12.7+rev0", "2.12.7")]
    public void Spellings_of_one_version_are_equal(string spelling, string plain)
    {
        Assert.Equal(V(plain), V(spelling));
        Assert.Equal(0, V(spelling).CompareTo(V(plain)));
        Assert.True(V(spelling) <= V(plain) && V(spelling) >= V(plain));
        Assert.Equal(plain, V(spelling).ToString());
    }

    [Fact]
    public void Sort_key_orders_as_the_versions_do()
    {
        var versions = new[] { "2.12.0", "2.9.0", "10.0.0", "2.12.7+rev1", "2.12.7", "1.30.1", "2.0.3", "2.12.10", "0.0.1", "2.12.7+rev10", "2.12.7+rev2" }
            .Select(V).ToList();

        var byVersion = versions.Order().ToList();
        var byKey = versions.OrderBy(v => v.SortKey, StringComparer.Ordinal).ToList();

        Assert.Equal(byVersion, byKey);
        Assert.Equal(["0.0.1", "1.30.1", "2.0.3", "2.9.0", "2.12.0", "2.12.7", "2.12.7+rev1", "2.12.7+rev2", "2.12.7+rev10", "2.12.10", "10.0.0"],
            byVersion.Select(v => v.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1")]
    [InlineData("1.2.3.4")]
    [InlineData("2.x.0")]
    [InlineData("2.12.7-rev1")]
    [InlineData("2.12.0-beta")]
    [InlineData("-1.0.0")]
    [InlineData("2..0")]
    public void Unparsable_text_is_a_domain_error_quoting_the_text(string text)
    {
        var error = Assert.Throws<FleetDomainException>(() => FleetVersion.Parse(text));

        Assert.StartsWith($"\"{text}\" is not a version", error.Message);
        Assert.False(FleetVersion.TryParse(text, out _));
    }

    [Fact]
    public void Missing_version_is_a_domain_error()
    {
        var error = Assert.Throws<FleetDomainException>(() => FleetVersion.Parse(null));

        Assert.Contains("is not a version", error.Message);
        Assert.False(FleetVersion.TryParse(null, out _));
    }

    [Fact]
    public void Parsable_text_gives_its_parts()
    {
        Assert.True(FleetVersion.TryParse("v2.12.7+rev3", out var version));

        Assert.Equal(new FleetVersion(2, 12, 7, 3), version);
    }
}
