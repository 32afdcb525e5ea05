using FleetDashboard.Simulator.Commands;

namespace FleetDashboard.Agent.Tests.Commands;

public class SimulateArgumentsTests
{
    [Fact]
    public void Full_command_line_is_read()
    {
        Assert.True(SimulateArguments.TryParse(
            ["simulate", "--server", "http://localhost:5000", "--provisioning-key", "k3y", "--devices", "500",
             "--device-type", "intel-nuc", "--host-os=2.9.0", "--agent", "1.0.0", "--time-factor", "10",
             "--web-server", "http://127.0.0.1:80"],
            out var arguments, out _));

        Assert.Equal(new SimulateArguments(new Uri("http://localhost:5000"), "k3y", 500, "intel-nuc", "2.9.0",
            "1.0.0", 10, new Uri("http://127.0.0.1:80")), arguments);
    }

    [Fact]
    public void Defaults_fill_what_is_left_out()
    {
        Assert.True(SimulateArguments.TryParse(
            ["simulate", "--server", "https://fleet.example", "--provisioning-key", "k", "--devices", "1"],
            out var arguments, out _));

        Assert.Equal(("raspberrypi4-64", "2.13.1", "1.4.2", 1.0, (Uri?)null),
            (arguments!.DeviceType, arguments.HostOsVersion, arguments.AgentVersion, arguments.TimeFactor, arguments.WebServer));
    }

    [Theory]
    [InlineData("--server is required", "simulate", "--provisioning-key", "k", "--devices", "5")]
    [InlineData("not an http", "simulate", "--server", "localhost", "--provisioning-key", "k", "--devices", "5")]
    [InlineData("--provisioning-key is required", "simulate", "--server", "http://h", "--devices", "5")]
    [InlineData("not a whole number", "simulate", "--server", "http://h", "--provisioning-key", "k", "--devices", "0")]
    [InlineData("not a whole number", "simulate", "--server", "http://h", "--provisioning-key", "k", "--devices", "many")]
    [InlineData("needs a value", "simulate", "--server", "http://h", "--provisioning-key", "--devices", "5")]
    [InlineData("Unknown option", "simulate", "--server", "http://h", "--provisioning-key", "k", "--devices", "5", "--fast", "1")]
    [InlineData("not a version", "simulate", "--server", "http://h", "--provisioning-key", "k", "--devices", "5", "--host-os", "two")]
    [InlineData("not a positive number", "simulate", "--server", "http://h", "--provisioning-key", "k", "--devices", "5", "--time-factor", "0")]
    [InlineData("not an http:// address", "simulate", "--server", "http://h", "--provisioning-key", "k", "--devices", "5", "--web-server", "ftp://h")]
    [InlineData("Unknown command", "run", "--server", "http://h")]
    public void Bad_arguments_say_what_is_wrong(string expected, params string[] args)
    {
        Assert.False(SimulateArguments.TryParse(args, out var arguments, out var error));
        Assert.Null(arguments);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task Bad_arguments_print_usage_on_stderr_and_exit_with_2()
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        var exitCode = await SimulateCommand.RunAsync(["simulate", "--devices", "5"], output, errors);

        Assert.Equal(2, exitCode);
        Assert.Contains("--server is required", errors.ToString());
        Assert.Contains("Usage:", errors.ToString());
        Assert.Empty(output.ToString());
    }
}
