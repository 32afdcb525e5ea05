using System.Globalization;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Devices;

namespace FleetDashboard.Simulator.Commands;

/// <summary>The `simulate` command line, checked: every value the fleet needs, or a reason it is wrong.</summary>
public sealed record SimulateArguments(
    Uri Server,
    string ProvisioningKey,
    int Devices,
    string DeviceType,
    string HostOsVersion,
    string AgentVersion,
    double TimeFactor,
    Uri? WebServer = null)
{
    public const string Usage = """
        Usage: FleetDashboard.Simulator simulate --server URL --provisioning-key KEY --devices N
                                                  [--device-type SLUG] [--host-os VERSION] [--agent VERSION]
                                                  [--time-factor F] [--web-server URL]

          --server            the dashboard, e.g. http://localhost:5000
          --provisioning-key  a provisioning key of the application the devices join
          --devices           how many devices to simulate (1 to 10000 in one process)
          --device-type       default raspberrypi4-64
          --host-os           default 2.13.1 (below 2.12.0: /data semantics; from it on: named volumes)
          --agent             default 1.4.2 (below 1.1.0: no purge, reboot, shutdown or lock)
          --time-factor       1 = real time (default); 10 = boots, kills, progress and polls ten times faster
          --web-server        where the devices' public URLs lead, e.g. http://127.0.0.1:80; by default each
                              simulated device serves a small page of its own
        """;

    // One process holds at most about 19,500 sockets (shared/RECIPES.md): split bigger fleets across processes.
    private const int MostDevices = 10_000;

    public static bool TryParse(IReadOnlyList<string> args, out SimulateArguments? arguments, out string error)
    {
        arguments = null;
        if (args.Count == 0 || args[0] != "simulate")
        {
            error = args.Count == 0 ? "No command given." : $"Unknown command \"{args[0]}\".";
            return false;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var option = args[i];
            string? value;
            if (option.IndexOf('=') is var equals and > 0)
            {
                value = option[(equals + 1)..];
                option = option[..equals];
            }
            else
            {
                value = i + 1 < args.Count ? args[++i] : null;
            }
            if (!Known.Contains(option))
            {
                error = $"Unknown option \"{option}\".";
                return false;
            }
            if (string.IsNullOrWhiteSpace(value) || value.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{option} needs a value.";
                return false;
            }
            values[option] = value;
        }

        error = Check(values, out arguments) ?? "";
        return arguments is not null;
    }

    private static readonly HashSet<string> Known = ["--server", "--provisioning-key", "--devices",
        "--device-type", "--host-os", "--agent", "--time-factor", "--web-server"];

    private static string? Check(Dictionary<string, string> values, out SimulateArguments? arguments)
    {
        arguments = null;
        if (!values.TryGetValue("--server", out var serverText)) return "--server is required.";
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
            return $"--server \"{serverText}\" is not an http:// or https:// address.";
        if (!values.TryGetValue("--provisioning-key", out var key)) return "--provisioning-key is required.";
        if (!values.TryGetValue("--devices", out var devicesText)) return "--devices is required.";
        if (!int.TryParse(devicesText, NumberStyles.None, CultureInfo.InvariantCulture, out var devices)
            || devices is < 1 or > MostDevices)
            return $"--devices \"{devicesText}\" is not a whole number from 1 to {MostDevices}.";

        var hostOs = values.GetValueOrDefault("--host-os", "2.13.1");
        if (!FleetVersion.TryParse(hostOs, out _)) return $"--host-os \"{hostOs}\" is not a version like 2.13.1.";
        var agent = values.GetValueOrDefault("--agent", "1.4.2");
        if (!FleetVersion.TryParse(agent, out _)) return $"--agent \"{agent}\" is not a version like 1.4.2.";

        var factorText = values.GetValueOrDefault("--time-factor", "1");
        if (!double.TryParse(factorText, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor)
            || !(factor > 0) || double.IsInfinity(factor))
            return $"--time-factor \"{factorText}\" is not a positive number.";

        Uri? webServer = null;
        if (values.TryGetValue("--web-server", out var webServerText)
            && (!Uri.TryCreate(webServerText, UriKind.Absolute, out webServer) || webServer.Scheme != "http"))
            return $"--web-server \"{webServerText}\" is not an http:// address.";

        arguments = new SimulateArguments(server, key, devices,
            values.GetValueOrDefault("--device-type", "raspberrypi4-64"), hostOs, agent, factor, webServer);
        return null;
    }
}
