using FleetDashboard.Web.Hosting;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Tests.Hosting;

public class OpenFilesLimitTests(FleetServer server) : IClassFixture<FleetServer>
{
    private const string Limits = """
        Limit                     Soft Limit           Hard Limit           Units
        Max processes             unlimited            unlimited            processes
        Max open files            20000                524288               files
        Max locked memory         8388608              8388608              bytes
        """;

    [Fact]
    public void The_soft_limit_on_open_files_is_read_from_the_process_limits()
    {
        Assert.Equal(20_000, OpenFilesLimit.Parse(Limits));
        Assert.Null(OpenFilesLimit.Parse(Limits.Replace("20000 ", "unlimited ")));
        Assert.Null(OpenFilesLimit.Parse("Limit  Soft Limit\nMax processes  100  100  processes"));
    }

    [Theory]
    [InlineData(20_000, 4_750, 14_250)]
    [InlineData(1_024, 128, 384)]
    public void Connections_stay_under_the_open_files_limit_with_files_to_spare(long openFiles, long http, long upgraded) =>
        Assert.Equal((http, upgraded), OpenFilesLimit.ConnectionsUnder(openFiles));

    [Fact]
    public void A_limit_set_in_configuration_wins()
    {
        var kestrel = new KestrelServerOptions();
        kestrel.Limits.MaxConcurrentUpgradedConnections = 42;

        OpenFilesLimit.Apply(kestrel, 20_000);

        Assert.Equal(42, kestrel.Limits.MaxConcurrentUpgradedConnections);
        Assert.Equal(4_750, kestrel.Limits.MaxConcurrentConnections);
    }

    [Fact]
    public void The_running_dashboard_keeps_its_connections_under_this_process_limit()
    {
        var limit = OpenFilesLimit.Read();
        Assert.NotNull(limit); // these tests run on Linux, where /proc/self/limits says it

        var kestrel = server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        Assert.Equal(OpenFilesLimit.ConnectionsUnder(limit.Value),
            (kestrel.Limits.MaxConcurrentConnections, kestrel.Limits.MaxConcurrentUpgradedConnections));
    }
}
