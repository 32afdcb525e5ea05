using HdrHistogram;

namespace FleetDashboard.Bench;

/// <summary>
/// Latencies recorded in microseconds into an HdrHistogram (3 significant digits: a percentile is read within 0.1 %),
/// read back in milliseconds. A percentile is the nearest rank, as the sorted arrays it replaces read it.
/// </summary>
public sealed class LatencyHistogram
{
    // Ten minutes: longer than any wait a benchmark allows.
    private readonly LongHistogram _histogram = new(TimeSpan.FromMinutes(10).Ticks / TimeSpan.TicksPerMicrosecond, 3);

    public static LatencyHistogram Of(IEnumerable<double> milliseconds)
    {
        var histogram = new LatencyHistogram();
        foreach (var ms in milliseconds) histogram.Record(ms);
        return histogram;
    }

    public long Count => _histogram.TotalCount;

    /// <summary>A negative latency (two clocks of one machine a hair apart) counts as zero.</summary>
    public void Record(double milliseconds) => _histogram.RecordValue(Math.Max(0, (long)Math.Round(milliseconds * 1000)));

    public void Record(TimeSpan elapsed) => Record(elapsed.TotalMilliseconds);

    /// <summary>The latency at <paramref name="percentile"/> (0–100) in ms; NaN when nothing was recorded.</summary>
    public double Percentile(double percentile) => Count == 0 ? double.NaN : _histogram.GetValueAtPercentile(percentile) / 1000.0;

    public double Max => Count == 0 ? double.NaN : _histogram.GetMaxValue() / 1000.0;
}
