using System.Net;
using FleetDashboard.Web.Tests.Infrastructure;

namespace FleetDashboard.Web.Tests.Hosting;

public class PipelineTests(FleetServer server) : IClassFixture<FleetServer>
{
    [Fact]
    public async Task A_missing_page_answers_404_with_the_not_found_page()
    {
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync("no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("api/no-such-thing")]
    [InlineData("hubs/no-such-hub")]
    [InlineData("hubs/devices/no-such-thing")]
    public async Task Machine_paths_get_a_bare_status_code_not_a_page(string path)
    {
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_device_hub_answers_a_request_without_a_credential_with_a_bare_401()
    {
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync("hubs/devices");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Plain_http_is_not_redirected_to_https()
    {
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync("Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
