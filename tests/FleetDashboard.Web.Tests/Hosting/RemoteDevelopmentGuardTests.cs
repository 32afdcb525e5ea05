using FleetDashboard.Web.Hosting;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace FleetDashboard.Web.Tests.Hosting;

/// <summary>Development, with its public demo password and key, listens on this machine only unless told otherwise.</summary>
public class RemoteDevelopmentGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://[::1]:5000")]
    [InlineData("https://127.0.0.2:5001")]
    public void Loopback_addresses_are_served_in_development(string address)
    {
        Assert.True(RemoteDevelopmentGuard.IsLoopback(address));
        Assert.Null(RemoteDevelopmentGuard.Refusal(isDevelopment: true, allowRemote: false, [address]));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://[::]:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://192.168.1.20:5000")]
    [InlineData("http://fleet.example.com:5000")]
    public void Any_other_address_is_refused_with_the_reason(string address)
    {
        var refusal = RemoteDevelopmentGuard.Refusal(isDevelopment: true, allowRemote: false, ["http://127.0.0.1:5000", address]);

        Assert.NotNull(refusal);
        Assert.StartsWith($"Refusing to serve Development on {address}", refusal);
        Assert.Contains("demo accounts' password and provisioning key are public", refusal);
        Assert.Contains("--allow-remote-dev", refusal);
        Assert.DoesNotContain('\n', refusal);
    }

    [Fact]
    public void The_flag_or_another_environment_lets_it_listen_anywhere()
    {
        Assert.Null(RemoteDevelopmentGuard.Refusal(isDevelopment: true, allowRemote: true, ["http://0.0.0.0:8080"]));
        Assert.Null(RemoteDevelopmentGuard.Refusal(isDevelopment: false, allowRemote: false, ["http://0.0.0.0:8080"]));
    }

    [Fact]
    public void The_flag_is_taken_out_of_the_arguments_the_host_reads()
    {
        var (args, allow) = RemoteDevelopmentGuard.Read(["--urls", "http://0.0.0.0:8080", "--allow-remote-dev"]);

        Assert.True(allow);
        Assert.Equal(["--urls", "http://0.0.0.0:8080"], args);
        Assert.False(RemoteDevelopmentGuard.Read(["--urls", "http://0.0.0.0:8080"]).AllowRemote);
    }

    [Fact]
    public void Urls_ports_and_kestrel_endpoints_are_all_read()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:5000;http://0.0.0.0:5001",
            ["http_ports"] = "8080",
            ["Kestrel:Endpoints:Public:Url"] = "http://10.0.0.5:9000",
        }).Build();

        Assert.Equal(["http://127.0.0.1:5000", "http://0.0.0.0:5001", "http://*:8080", "http://10.0.0.5:9000"],
            RemoteDevelopmentGuard.ConfiguredAddresses(configuration));
    }

    [Fact]
    public async Task A_development_host_told_to_listen_on_every_interface_does_not_start()
    {
        await using var server = FleetServer.Create(new FleetServerOptions
        {
            Settings = new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:0" },
        });

        var failure = Assert.ThrowsAny<Exception>(() => server.BaseAddress);

        Assert.Contains("without ever building", failure.ToString());
    }
}
