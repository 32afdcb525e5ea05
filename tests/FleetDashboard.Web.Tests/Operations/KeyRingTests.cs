using System.Net;
using FleetDashboard.Web.Operations;
using FleetDashboard.Web.Tests.Hosting;

namespace FleetDashboard.Web.Tests.Operations;

public sealed class KeyRingTests(ProductionFleetServer server) : IClassFixture<ProductionFleetServer>
{
    [Fact]
    public async Task The_keys_that_seal_cookies_and_forms_are_kept_in_the_data_folder()
    {
        using var browser = server.CreateBrowser();

        // The sign-in page carries an antiforgery token: sealing it makes the first key.
        using var page = await browser.GetAsync("Account/Login");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(server.DataDirectory, KeyRing.FolderName), "key-*.xml"));
    }
}
