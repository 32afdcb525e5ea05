using System.Text.Json;
using FleetDashboard.Web.Hosting;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Hosting;

public class FleetConfigurationTests(FleetServer server) : IClassFixture<FleetServer>
{
    private static string RootSetting(string section, string key)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Repository.File("appsettings.Development.json")));
        return file.RootElement.GetProperty(section).GetProperty(key).GetString()
            ?? throw new InvalidOperationException($"{section}:{key} is not a string.");
    }

    [Fact]
    public void The_running_server_in_Development_reads_the_root_appsettings_file()
    {
        _ = server.BaseAddress;
        var configuration = server.Services.GetRequiredService<IConfiguration>();

        Assert.Equal(RootSetting("Fleet", "DemoProvisioningKey"), configuration["Fleet:DemoProvisioningKey"]);
        Assert.Equal(RootSetting("Fleet", "DemoPassword"), configuration["Fleet:DemoPassword"]);
    }

    [Fact]
    public void The_command_line_still_wins_over_the_root_file()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--Fleet:DemoProvisioningKey=key-from-the-command-line"],
            EnvironmentName = "Development",
            ContentRootPath = Repository.WebProject,
        });

        builder.AddFleetConfiguration();

        Assert.Equal("key-from-the-command-line", builder.Configuration["Fleet:DemoProvisioningKey"]);
        Assert.Equal(RootSetting("Fleet", "DemoPassword"), builder.Configuration["Fleet:DemoPassword"]);
    }

    [Fact]
    public void Outside_Development_the_root_file_is_not_read()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = Repository.WebProject,
        });

        builder.AddFleetConfiguration();

        Assert.Null(builder.Configuration["Fleet:DemoPassword"]);
    }
}
