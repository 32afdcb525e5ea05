using FleetDashboard.Bench.Cluster;
using FleetDashboard.Bench.Devices;
using FleetDashboard.Bench.Lists;
using FleetDashboard.Bench.Pages;

namespace FleetDashboard.Bench;

/// <summary>Every benchmark the program knows, in the order they run.</summary>
public static class Benchmarks
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        // Device side (B1–B4) and server side (B5–B7) register here.
        new DeviceBenchmarks(),
        new DeviceListBenchmark(),
        new CircuitMemoryBenchmark(),
        new DomLatencyBenchmark(),
        // Several nodes (issue 13).
        new CrossNodeDomBenchmark(),
        new ClusterFleetBenchmark(),
    ];
}
