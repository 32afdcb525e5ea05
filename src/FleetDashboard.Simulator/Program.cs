using FleetDashboard.Simulator.Commands;

// One command: `simulate` runs a fleet of simulated devices (FleetDashboard.Agent) against a dashboard.
return await SimulateCommand.RunAsync(args, Console.Out, Console.Error);
