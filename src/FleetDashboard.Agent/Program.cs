using FleetDashboard.Agent.Commands;

// The device side's one command: `simulate` runs a fleet of simulated devices against a dashboard.
return await SimulateCommand.RunAsync(args, Console.Out, Console.Error);
