using FleetDashboard.Agent.Simulation;

namespace FleetDashboard.Agent.Tests.Simulation;

public class DeviceVersionTests
{
    [Theory]
    [InlineData("2.9.0", "2.12.0")]
    [InlineData("2.12.7", "2.12.7+rev1")]
    [InlineData("2.12.7+rev1", "2.12.7+rev2")]
    [InlineData("2.12.7+rev9", "2.13.0")]
    [InlineData("1.0.9", "v1.1.0")]
    public void Versions_compare_as_numbers(string lower, string higher)
    {
        Assert.True(DeviceVersion.Parse(lower) < DeviceVersion.Parse(higher));
    }

    [Fact]
    public void A_missing_patch_is_zero()
    {
        Assert.Equal(DeviceVersion.Parse("2.12.0"), DeviceVersion.Parse("v2.12"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("2.x.0")]
    [InlineData("2.12.0-beta")]
    public void Text_that_is_not_a_version_is_refused(string text)
    {
        Assert.False(DeviceVersion.TryParse(text, out _));
        Assert.Throws<FormatException>(() => DeviceVersion.Parse(text));
    }
}
