using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Tests.Devices;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Infrastructure;

/// <summary>
/// This test assembly's entry point (the test SDK's empty one is turned off): `child-server DIR ACTION_TIMEOUT` runs the
/// real dashboard — its Program, Kestrel on 127.0.0.1, SQLite in DIR, kept — for <see cref="ChildServer"/>. Commands:
/// "fleet" makes an application with an operator and a provisioning key ("APPLICATION-ID KEY"); "reboot" starts a
/// reboot of all its devices and answers the run's id at once, while the devices are still being asked.
/// </summary>
public static class ChildServerProgram
{
    public const string Command = "child-server";
    public const string Answer = "@ ";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [Command, var dataDirectory, var actionTimeout])
        {
            await Console.Error.WriteLineAsync($"The tests run with dotnet test; `{Command} DIR ACTION_TIMEOUT` serves for a restart test.");
            return 2;
        }
        await using var server = new KeptServer(new FleetServerOptions
        {
            DataDirectory = dataDirectory,
            Settings = new Dictionary<string, string?>
            {
                ["Fleet:Delivery:ActionTimeout"] = actionTimeout,
                ["Logging:LogLevel:Default"] = "Warning",
            },
        });
        Say(server.BaseAddress.ToString());
        Fleet? fleet = null;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            switch (line)
            {
                case "fleet":
                    fleet = await server.FleetAsync("restart");
                    Say($"{fleet.ApplicationId} {fleet.ProvisioningKey}");
                    break;
                case "reboot" when fleet is not null:
                    var ids = await server.QueryAsync(db => db.Devices.Where(d => d.ApplicationId == fleet.ApplicationId).Select(d => d.Id).ToListAsync());
                    var run = await server.Actions.StartAsync(fleet.Operator, new(new RebootDevice(), DeviceTargets.Group(fleet.ApplicationId, ids)));
                    Say(run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    Say($"error: no command {line}");
                    break;
            }
        }
        return 0;
    }

    /// <summary>An empty dashboard over a kept folder: the next process finds the same file.</summary>
    private sealed class KeptServer(FleetServerOptions options) : DeviceFleetServer(options);

    private static void Say(string answer)
    {
        Console.Out.WriteLine(Answer + answer);
        Console.Out.Flush();
    }
}
