using System.Net;
using System.Text.RegularExpressions;
using FleetDashboard.Web.Tests.Infrastructure;

namespace FleetDashboard.Web.Tests.Hosting;

/// <summary>
/// Outside Development, where a built app has served static assets as 0 bytes: the bytes must be the
/// files' bytes, not just a 200 (shared/RECIPES.md).
/// </summary>
/// <summary>The dashboard as deployed: Production, nothing seeded.</summary>
public sealed class ProductionFleetServer() : FleetServer(new FleetServerOptions { Environment = "Production" });

public partial class AssetTests(ProductionFleetServer server) : IClassFixture<ProductionFleetServer>
{
    [Theory]
    [InlineData("fleet.css")]
    [InlineData("favicon.svg")]
    public async Task A_file_of_the_root_assets_folder_is_served_with_its_bytes(string name)
    {
        using var browser = server.CreateBrowser();
        var onDisk = await File.ReadAllBytesAsync(Repository.File("wwwroot-assets", name));

        using var response = await browser.GetAsync(name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(onDisk);
        Assert.Equal(onDisk, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_fingerprinted_stylesheet_link_of_a_page_serves_fleet_css()
    {
        using var browser = server.CreateBrowser();
        var page = await browser.GetPageAsync("Account/Login");
        var href = FleetCssLink().Match(page);
        Assert.True(href.Success, "The sign-in page does not link fleet.css.");

        using var response = await browser.GetAsync(href.Groups[1].Value);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(Repository.File("wwwroot-assets", "fleet.css")), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("_framework/blazor.web.js")]
    public async Task Framework_assets_are_served_with_content(string path)
    {
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 10_000, $"{path} is (nearly) empty.");
    }

    [GeneratedRegex(@"<link[^>]+href=""(fleet(?:\.[a-z0-9]+)?\.css)""")]
    private static partial Regex FleetCssLink();
}
