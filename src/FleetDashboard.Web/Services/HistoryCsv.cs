using System.Globalization;
using FleetDashboard.Core.Actions;

namespace FleetDashboard.Web.Services;

/// <summary>
/// The history as CSV (RFC 4180), one line per outcome. Cells that a spreadsheet would run as a formula get a
/// leading apostrophe: an option, a device name or a filter typed by someone else must never execute.
/// </summary>
public static class HistoryCsv
{
    public static readonly string[] Header =
        ["run", "time_utc", "actor", "action", "options", "scope", "filter", "refusal", "device", "uuid", "outcome", "reason"];

    private static readonly char[] Formula = ['=', '+', '-', '@', '\t', '\r'];
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value.IndexOfAny(Formula) == 0) value = "'" + value;
        return value.IndexOfAny(NeedsQuotes) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
    }

    public static string Line(params string?[] cells) => string.Join(",", cells.Select(Cell));

    internal static string Line(HistoryCsvLine line) => Line(
        line.RunId.ToString(CultureInfo.InvariantCulture),
        line.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        line.ActorEmail, line.Action, line.Options, line.Scope.ToString(), line.FilterText, line.Refusal,
        line.DeviceName, line.DeviceUuid, line.Kind is { } kind ? Outcomes.Describe(kind, null) : null, line.Reason);
}

/// <summary>One line of the export: a run, and one of its outcomes (none for a run that reached no device).</summary>
internal sealed record HistoryCsvLine(long RunId, DateTimeOffset At, string ActorEmail, string Action, string Options,
    ActionScope Scope, string FilterText, string? Refusal, string? DeviceName, string? DeviceUuid, OutcomeKind? Kind, string? Reason);
