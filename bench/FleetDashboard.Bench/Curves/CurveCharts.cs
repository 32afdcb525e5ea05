using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace FleetDashboard.Bench.Curves;

/// <summary>
/// How each figure grows with the fleet, beside its ceiling (issue 14): one PNG per chart (x the size, y the figure;
/// ours a solid line, the ceiling a dashed one, the target a dotted one) and the numbers behind every chart as
/// Markdown tables in curves.md, for the docs to cite.
/// </summary>
public static class CurveCharts
{
    /// <summary>B1, B3, B4 and B5: devices connected.</summary>
    public static IReadOnlyList<int> FleetSizes { get; } = [1_000, 5_000, 10_000, 18_000];

    /// <summary>B6: devices in the application's list.</summary>
    public static IReadOnlyList<int> ListSizes { get; } = [10_000, 100_000, 1_000_000];

    /// <summary>The smoke run's: the plotting is drawn there so that it cannot rot, at sizes that take seconds.</summary>
    public static IReadOnlyList<int> SmokeListSizes { get; } = [100, 200];

    /// <summary>One reading at one size, from the run named <paramref name="Run"/> (its commit and time).</summary>
    public sealed record Point(int Size, Reading Reading, string Run = "");

    /// <summary>One invocation of the bench that measured points: when, at which commit, on how loaded a machine.</summary>
    public sealed record Run(string Name, string Command, string Load, IReadOnlyList<string> Failed);

    private sealed record Measured(List<Run> Runs, List<Point> Points);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// Adds <paramref name="points"/> to those already measured in <paramref name="folder"/> (curves.json; a new reading
    /// of a chart, series and size replaces the old one, so one size can be measured again alone), then draws a PNG per
    /// chart and writes curves.md from all of them. Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<Point> points, Run run, string folder)
    {
        Directory.CreateDirectory(folder);
        var data = Path.Combine(folder, "curves.json");
        var measured = File.Exists(data) ? JsonSerializer.Deserialize<Measured>(File.ReadAllText(data), Json)! : new Measured([], []);
        measured.Points.RemoveAll(old => points.Any(p => p.Size == old.Size && p.Reading.Chart == old.Reading.Chart && p.Reading.Series == old.Reading.Series));
        measured.Points.AddRange(points.Select(p => p with { Run = run.Name }));
        measured.Runs.RemoveAll(r => r.Name == run.Name || measured.Points.All(p => p.Run != r.Name));
        if (points.Count > 0) measured.Runs.Add(run);
        File.WriteAllText(data, JsonSerializer.Serialize(measured, Json));

        var files = new List<string> { data };
        var markdown = new StringBuilder()
            .AppendLine("# Curves: the numbers behind docs/benchmarks/*.png")
            .AppendLine()
            .AppendLine("Written by `--curves` from curves.json; each row gives the number of the run that measured it:")
            .AppendLine();
        foreach (var (r, i) in measured.Runs.Select((r, i) => (r, i)))
            markdown.AppendLine($"{i + 1}. {r.Name}: `{r.Command}`; load average (1, 5, 15 min) {r.Load}" +
                (r.Failed.Count > 0 ? $"; failed and left out: {string.Join("; ", r.Failed)}" : ""));
        foreach (var chart in measured.Points.GroupBy(p => p.Reading.Chart))
        {
            var png = Path.Combine(folder, chart.Key + ".png");
            Draw([.. chart], png);
            files.Add(png);
            Table([.. chart], measured.Runs.Select(r => r.Name).ToList(), markdown);
        }
        var tables = Path.Combine(folder, "curves.md");
        File.WriteAllText(tables, markdown.ToString());
        files.Add(tables);
        return files;
    }

    private static void Draw(IReadOnlyList<Point> points, string path)
    {
        var first = points[0].Reading;
        double X(double size) => first.Logarithmic ? Math.Log10(size) : size;
        double Y(double value) => first.Logarithmic ? Math.Log10(Math.Max(value, 1e-3)) : value;

        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        var values = new List<double>();
        foreach (var series in points.GroupBy(p => p.Reading.Series))
        {
            var color = palette.GetColor(index++);
            var sorted = series.OrderBy(p => p.Size).ToList();
            var xs = sorted.Select(p => X(p.Size)).ToArray();
            var name = series.Key.Length == 0 ? "" : $", {series.Key}";

            var ours = plot.Add.Scatter(xs, sorted.Select(p => Y(p.Reading.Ours)).ToArray());
            ours.Color = color;
            ours.LineWidth = 2;
            ours.MarkerSize = 9;
            ours.LegendText = $"ours{name}";

            var ceiling = plot.Add.Scatter(xs, sorted.Select(p => Y(p.Reading.Ceiling)).ToArray());
            ceiling.Color = color;
            ceiling.LineWidth = 2;
            ceiling.LinePattern = LinePattern.Dashed;
            ceiling.MarkerShape = MarkerShape.OpenCircle;
            ceiling.MarkerSize = 9;
            ceiling.LegendText = $"{first.CeilingName}{name}";

            values.AddRange(sorted.SelectMany(p => new[] { p.Reading.Ours, p.Reading.Ceiling }));
            if (series.First().Reading.Target is { } target)
            {
                var line = plot.Add.HorizontalLine(Y(target));
                line.Color = color.WithAlpha(0.7);
                line.LineWidth = 1.5f;
                line.LinePattern = LinePattern.Dotted;
                line.LegendText = $"target{name}: {Tick(target)} {Short(first.Unit)}";
                values.Add(target);
            }
        }

        plot.Title(first.Title, size: 15);
        var scale = first.Logarithmic ? ", log scale" : "";
        plot.XLabel(first.Size + scale);
        plot.YLabel(first.Unit + scale);
        var sizes = points.Select(p => p.Size).Distinct().Order().ToList();
        var xTicks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var size in sizes) xTicks.AddMajor(X(size), Tick(size));
        plot.Axes.Bottom.TickGenerator = xTicks;
        var (low, high) = (X(sizes[0]), X(sizes[^1]));
        var margin = Math.Max((high - low) * 0.06, first.Logarithmic ? 0.1 : 1);
        plot.Axes.SetLimitsX(low - margin, high + margin);

        var top = values.Where(double.IsFinite).DefaultIfEmpty(1).Max();
        if (first.Logarithmic)
        {
            var bottom = values.Where(v => double.IsFinite(v) && v > 0).DefaultIfEmpty(1).Min();
            var yTicks = new ScottPlot.TickGenerators.NumericManual();
            foreach (var tick in OneTwoFive(bottom / 3, top * 3)) yTicks.AddMajor(Math.Log10(tick), Tick(tick));
            plot.Axes.Left.TickGenerator = yTicks;
            plot.Axes.SetLimitsY(Math.Log10(bottom) - 0.15, Math.Log10(top) + 0.15);
        }
        else
        {
            // From zero: a curve's growth is read against the whole figure, not against a cut axis.
            plot.Axes.SetLimitsY(0, top * 1.15);
        }
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 1100, 560);
    }

    private static IEnumerable<double> OneTwoFive(double from, double to)
    {
        for (var decade = Math.Pow(10, Math.Floor(Math.Log10(from))); decade <= to; decade *= 10)
            foreach (var step in new[] { 1, 2, 5 })
                if (step * decade >= from && step * decade <= to) yield return step * decade;
    }

    private static void Table(IReadOnlyList<Point> points, List<string> runs, StringBuilder markdown)
    {
        var first = points[0].Reading;
        var smallest = points.Min(p => p.Size);
        markdown.AppendLine()
            .AppendLine($"### {first.Title} (`{first.Chart}.png`)")
            .AppendLine()
            .AppendLine($"{first.Unit}; ceiling: {first.CeilingName}{Targets(points)}. " +
                $"\"grown\": ours at this size ÷ ours at {smallest:N0}, beside the size ÷ {smallest:N0}.")
            .AppendLine()
            .AppendLine($"| {first.Size} | | ours | {first.CeilingName} | ours ÷ ceiling | grown (size grown) | run |")
            .AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var series in points.GroupBy(p => p.Reading.Series))
        {
            var start = series.MinBy(p => p.Size)!.Reading.Ours;
            foreach (var p in series.OrderBy(p => p.Size))
                markdown.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {p.Size:N0} | {series.Key} | {Number(p.Reading.Ours)} | {Number(p.Reading.Ceiling)} | " +
                    $"{p.Reading.Ours / p.Reading.Ceiling:0.00} | ×{p.Reading.Ours / start:0.00} (×{p.Size / (double)smallest:0.#}) | {runs.IndexOf(p.Run) + 1} |"));
        }
    }

    /// <summary>"; target p50 500, p99 2,000", or nothing when no series has a target.</summary>
    private static string Targets(IReadOnlyList<Point> points)
    {
        var targets = points.Select(p => p.Reading).DistinctBy(r => r.Series).Where(r => r.Target is not null)
            .Select(r => $"{(r.Series.Length > 0 ? r.Series + " " : "")}{Tick(r.Target!.Value)}").ToList();
        return targets.Count > 0 ? $"; target {string.Join(", ", targets)}" : "";
    }

    /// <summary>Three significant digits at most, thousands grouped: 0.52, 3.4, 41.7, 986, 12,400.</summary>
    internal static string Number(double value)
    {
        if (!double.IsFinite(value)) return "n/a";
        var magnitude = Math.Abs(value);
        var format = magnitude >= 100 ? "N0" : magnitude >= 10 ? "N1" : magnitude >= 1 ? "N2" : "0.###";
        var rounded = magnitude >= 1000 ? Math.Round(value / Math.Pow(10, Math.Floor(Math.Log10(magnitude)) - 2)) * Math.Pow(10, Math.Floor(Math.Log10(magnitude)) - 2) : value;
        return rounded.ToString(format, CultureInfo.InvariantCulture);
    }

    private static string Tick(double value) => value.ToString("#,##0.###", CultureInfo.InvariantCulture);

    /// <summary>"reboot latency (ms)" → "ms": the unit in brackets, for the target's label.</summary>
    private static string Short(string unit) =>
        unit.LastIndexOf('(') is var open and >= 0 && unit.EndsWith(')') ? unit[(open + 1)..^1] : unit;
}
