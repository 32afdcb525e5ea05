namespace FleetDashboard.Bench;

/// <summary>One measured figure beside its target and, where there is one, its ceiling on this machine.</summary>
public sealed record Figure(string Id, string What, string Value, string Target, bool Met, string? Ceiling = null, string? Note = null)
{
    /// <summary>The numbers behind the figure and its ceiling, for the curves over fleet sizes (<see cref="Curves.CurveCharts"/>).</summary>
    public IReadOnlyList<Reading> Readings { get; init; } = [];
}

/// <summary>
/// One number of a figure beside the same number of its ceiling, for a curve over sizes. Readings of one
/// <paramref name="Chart"/> (its PNG's name) are drawn together, one pair of lines per <paramref name="Series"/> ("p99").
/// <paramref name="Size"/> says what the x axis counts; <paramref name="Logarithmic"/>: both axes in powers of ten.
/// </summary>
public sealed record Reading(string Chart, string Title, string Series, string Unit, double Ours, double Ceiling, string CeilingName,
    double? Target = null, string Size = "devices connected", bool Logarithmic = false);

/// <summary>
/// What every benchmark is given: how big to go, and where to say what it is doing. <paramref name="Views"/>: while
/// working on one of B6's views, only the views whose names contain one of these words (empty: all seven).
/// </summary>
public sealed record BenchOptions(int Devices, bool Smoke, string WorkDirectory, IReadOnlyList<string> Views)
{
    /// <summary>The ids asked for with --only (empty: all): a benchmark of several ids may skip the parts nobody asked for.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>--store Postgres: B3 and B6 measured on PostgreSQL too, beside SQLite.</summary>
    public bool Postgres { get; init; }

    /// <summary>B6's devices in the list (--rows); none: 100,000, or --devices in the smoke run.</summary>
    public int? ListRows { get; init; }

    /// <summary>B2: the server killed and started again after B1, B3 and B4 (the curves leave it out).</summary>
    public bool Restart { get; init; } = true;

    public void Say(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
}

/// <summary>One benchmark of issue 5 (B1 … B7). Each owns its servers and devices and cleans up after itself.</summary>
public interface IBenchmark
{
    /// <summary>"B1" … "B7"; several figures may share one run (B1 and B2 do).</summary>
    IReadOnlyList<string> Ids { get; }

    Task<IReadOnlyList<Figure>> RunAsync(BenchOptions options, CancellationToken ct);
}
