using FleetDashboard.Web.Hosting;
using Microsoft.Extensions.Configuration;

namespace FleetDashboard.Web.Tests.Hosting;

/// <summary>Links handed on (a wall link carries its token) come from the public base address when one is configured.</summary>
public class PublicBaseAddressTests
{
    private static PublicBaseAddress From(string? value) => PublicBaseAddress.From(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [PublicBaseAddress.Key] = value }).Build());

    [Theory]
    [InlineData("https://fleet.example.com")]
    [InlineData("https://fleet.example.com/")]
    public void A_configured_address_wins_over_the_page_behind_a_tls_proxy(string configured)
    {
        var link = From(configured).Of("wall/token-1", "http://10.0.0.5:5000/");

        Assert.Equal("https://fleet.example.com/wall/token-1", link.ToString());
    }

    [Fact]
    public void A_configured_address_under_a_path_keeps_it()
    {
        Assert.Equal("https://example.com/fleet/wall/t", From("https://example.com/fleet").Of("wall/t", "http://127.0.0.1:5000/").ToString());
    }

    [Fact]
    public void Without_one_the_link_keeps_the_scheme_the_browser_used()
    {
        Assert.Equal("https://fleet.example.com/wall/t", From(null).Of("wall/t", "https://fleet.example.com/").ToString());
        Assert.Equal("http://127.0.0.1:5000/wall/t", From("").Of("wall/t", "http://127.0.0.1:5000/").ToString());
    }

    [Theory]
    [InlineData("fleet.example.com")]
    [InlineData("ftp://fleet.example.com/")]
    public void A_bad_address_stops_the_start_with_the_reason(string configured)
    {
        var failure = Assert.Throws<InvalidOperationException>(() => From(configured));

        Assert.Contains(PublicBaseAddress.Key, failure.Message);
    }
}
