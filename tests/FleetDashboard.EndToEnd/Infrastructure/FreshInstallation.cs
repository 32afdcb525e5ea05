namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>
/// The dashboard as an operator installs it: Production, nothing seeded, over a data folder of its own. It starts on
/// first use of its address, so a test can run <c>create-admin</c> against <see cref="FleetServer.DataDirectory"/> first.
/// </summary>
public sealed class FreshInstallation() : FleetServer(new FleetServerOptions { Environment = "Production", Seed = FleetSeed.Empty });
