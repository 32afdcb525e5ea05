using FleetDashboard.Web.Devices.PublicUrls;
using FleetDashboard.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace FleetDashboard.Web.Tests.Devices;

public class DevicePublicUrlsTests
{
    private const string Uuid = "0123456789abcdef0123456789abcdef";

    private static DevicePublicUrls Urls(string? domain, string? publicBase = null) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [PublicUrlOptions.DevicesDomainKey] = domain }).Build(),
        PublicBaseAddress.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [PublicBaseAddress.Key] = publicBase }).Build()));

    private static HttpRequest Request(string host, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        context.Request.Path = path;
        return context.Request;
    }

    [Theory]
    [InlineData("devices.example.test", null, "https://" + Uuid + ".devices.example.test/")]
    [InlineData(".Devices.Example.Test.", "http://fleet.example.test/", "http://" + Uuid + ".devices.example.test/")]
    [InlineData(null, null, "http://127.0.0.1:5000/public/" + Uuid + "/")]
    [InlineData("", "https://fleet.example.test/console/", "https://fleet.example.test/console/public/" + Uuid + "/")]
    public void The_device_page_links_to_the_host_form_with_a_domain_and_to_the_path_form_without(string? domain, string? publicBase, string expected) =>
        Assert.Equal(expected, Urls(domain, publicBase).AddressOf(Uuid, "http://127.0.0.1:5000/").ToString());

    [Theory]
    [InlineData(Uuid + ".devices.example.test:8443", "/status", Uuid, "/status", "")]
    [InlineData("NOT-A-UUID.Devices.Example.Test", "/", "not-a-uuid", "/", "")]
    [InlineData("fleet.example.test", "/public/" + Uuid + "/a/b", Uuid, "/a/b", "/public/" + Uuid)]
    [InlineData("fleet.example.test", "/public/" + Uuid, Uuid, "", "/public/" + Uuid)]
    [InlineData("fleet.example.test", "/public", "", "", "/public/")]
    public void A_request_for_a_devices_address_names_the_device_and_its_path(string host, string path, string uuid, string devicePath, string prefix)
    {
        var target = Urls("devices.example.test").Match(Request(host, path));

        Assert.NotNull(target);
        Assert.Equal((uuid, devicePath, prefix), (target.Uuid, target.Path.Value ?? "", target.Prefix.Value ?? ""));
    }

    [Theory]
    [InlineData("fleet.example.test", "/devices/7")]
    [InlineData("fleet.example.test", "/publications")]
    [InlineData("devices.example.test", "/")]
    [InlineData(Uuid + ".devices.example.test.evil.test", "/")]
    public void A_request_for_the_dashboard_is_left_to_it(string host, string path) =>
        Assert.Null(Urls("devices.example.test").Match(Request(host, path)));

    [Fact]
    public void Without_a_domain_only_the_path_form_exists() =>
        Assert.Null(Urls(null).Match(Request(Uuid + ".devices.example.test", "/")));
}
