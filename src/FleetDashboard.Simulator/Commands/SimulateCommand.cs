using System.Runtime.InteropServices;
using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;

namespace FleetDashboard.Simulator.Commands;

/// <summary>`simulate`: registers N devices with a provisioning key and runs them until Ctrl+C.</summary>
public static class SimulateCommand
{
    private static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(10);

    /// <summary>0 after a clean stop; 1 when the server cannot be used; 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            await output.WriteLineAsync(SimulateArguments.Usage);
            return 0;
        }
        if (!SimulateArguments.TryParse(args, out var arguments, out var error) || arguments is null)
        {
            await errors.WriteLineAsync(error);
            await errors.WriteLineAsync(SimulateArguments.Usage);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });

        var options = new SimulationOptions { TimeFactor = arguments.TimeFactor, WebServer = arguments.WebServer };
        var setup = new DeviceSetup
        {
            DeviceType = arguments.DeviceType,
            HostOsVersion = arguments.HostOsVersion,
            AgentVersion = arguments.AgentVersion,
        };
        try
        {
            await using var fleet = await SimulatedFleet.StartAsync(arguments.Server, arguments.ProvisioningKey,
                arguments.Devices, options, _ => new SimulatedDevice(setup, options), stop.Token);
            await output.WriteLineAsync($"{fleet.Agents.Count} devices registered, {fleet.ConnectedCount} connected");
            using var ticks = new PeriodicTimer(StatusEvery);
            while (await ticks.WaitForNextTickAsync(stop.Token))
                await output.WriteLineAsync(FleetStatus.Line(fleet));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C: the fleet was disposed on the way out.
        }
        catch (DeviceRegistrationException refused)
        {
            await errors.WriteLineAsync(refused.Message);
            return 1;
        }
        catch (HttpRequestException unreachable)
        {
            var status = unreachable.StatusCode is { } code ? $" ({(int)code} {code})" : "";
            await errors.WriteLineAsync($"Cannot reach the server at {arguments.Server}{status}: {unreachable.Message}");
            return 1;
        }
        return 0;
    }
}
