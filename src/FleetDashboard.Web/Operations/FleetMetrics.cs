using System.Diagnostics.Metrics;
using FleetDashboard.Core.Actions;

namespace FleetDashboard.Web.Operations;

/// <summary>
/// The fleet's own figures, meter <c>FleetDashboard</c>, scraped at /metrics beside the runtime's and ASP.NET Core's.
/// Made by the host's meter factory, so two servers in one process (the tests) never mix their figures.
/// </summary>
public sealed class FleetMetrics
{
    public const string MeterName = "FleetDashboard";

    /// <summary>Seconds; most SQLite commands take well under a millisecond, a slow one a second or more.</summary>
    private static readonly double[] StoreBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly Meter _meter;
    private readonly Counter<long> _deviceReports;
    private readonly Counter<long> _deliveries;
    private readonly UpDownCounter<long> _runsInFlight;
    private readonly Histogram<double> _storeCommands;

    public FleetMetrics(IMeterFactory meters)
    {
        var meter = _meter = meters.Create(MeterName);
        _deviceReports = meter.CreateCounter<long>("fleet.device.reports", "{report}",
            "Reports received from devices; rate() gives them per second.");
        _deliveries = meter.CreateCounter<long>("fleet.deliveries", "{device}",
            "Outcomes of immediate actions delivered to devices, by outcome.");
        _runsInFlight = meter.CreateUpDownCounter<long>("fleet.runs.in_flight", "{run}",
            "Action runs whose devices are being delivered to and answered now.");
        _storeCommands = meter.CreateHistogram("fleet.store.duration", "s", "How long the store took to run a command.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StoreBuckets });
    }

    /// <summary>Devices connected, read from where the connections are kept each time it is scraped. Called once.</summary>
    public void ObserveConnectedDevices(Func<int> count) =>
        _meter.CreateObservableGauge("fleet.devices.connected", count, "{device}", "Devices holding a live connection to this server.");

    /// <summary>Device connections turned away to come back later (<see cref="Devices.DeviceAdmission"/>), read when scraped. Called once.</summary>
    public void ObserveTurnedAwayDevices(Func<long> count) =>
        _meter.CreateObservableCounter("fleet.devices.turned_away", count, "{connection}",
            "Device connections answered 503 after waiting their longest for room to connect; the devices come back with their back-off.");

    public void DeviceReported() => _deviceReports.Add(1);

    public void Delivered(OutcomeKind outcome) => _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeTag(outcome)));

    public void RunStarted() => _runsInFlight.Add(1);

    public void RunFinished() => _runsInFlight.Add(-1);

    public void StoreCommand(TimeSpan duration) => _storeCommands.Record(duration.TotalSeconds);

    /// <summary>The label Prometheus shows: <c>timed_out</c>, as metric labels are spelled.</summary>
    public static string OutcomeTag(OutcomeKind outcome) => outcome switch
    {
        OutcomeKind.Succeeded => "succeeded",
        OutcomeKind.Failed => "failed",
        OutcomeKind.NotNotified => "not_notified",
        OutcomeKind.Refused => "refused",
        OutcomeKind.TimedOut => "timed_out",
        _ => "unknown",
    };
}
