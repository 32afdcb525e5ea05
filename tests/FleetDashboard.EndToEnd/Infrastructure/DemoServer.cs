namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>
/// The dashboard as a newcomer runs it: Development, the demo seed and the live demo fleet (simulated devices
/// connecting over real SignalR), on real Kestrel at 127.0.0.1 on a free port, over its own temporary SQLite file.
/// One per test class: the demo users' sign-in state (failed attempts, lockouts) stays within the class.
/// </summary>
public sealed class DemoServer() : FleetServer(new FleetServerOptions { Seed = FleetSeed.LiveDemo });
