namespace FleetDashboard.Testing;

/// <summary>What a <see cref="FleetServer"/> holds when it starts.</summary>
public sealed class FleetSeed
{
    private FleetSeed(string name, bool demo, bool demoFleet, Func<IServiceProvider, Task>? setup)
    {
        Name = name;
        SeedsDemo = demo;
        RunsDemoFleet = demoFleet;
        Setup = setup;
    }

    /// <summary>Nothing: the migrated schema, for tests that build the fleet they need.</summary>
    public static FleetSeed Empty { get; } = new("empty", demo: false, demoFleet: false, setup: null);

    /// <summary>The demo's organizations, people and devices, as a newcomer's first start seeds them; no device connects.</summary>
    public static FleetSeed Demo { get; } = new("demo", demo: true, demoFleet: false, setup: null);

    /// <summary>The demo, and its simulated devices connecting over real SignalR, as <c>./run.sh</c> starts it.</summary>
    public static FleetSeed LiveDemo { get; } = new("live demo", demo: true, demoFleet: true, setup: null);

    /// <summary>
    /// What <paramref name="setup"/> writes, with the app's own services, once the store is migrated and before the
    /// server is handed over: on every start, so a setup over a kept data folder must see what is already there.
    /// </summary>
    public static FleetSeed Given(Func<IServiceProvider, Task> setup) => new("given", demo: false, demoFleet: false, setup);

    public string Name { get; }
    public bool SeedsDemo { get; }
    public bool RunsDemoFleet { get; }
    public Func<IServiceProvider, Task>? Setup { get; }

    public override string ToString() => Name;
}
