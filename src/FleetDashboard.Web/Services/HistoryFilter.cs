using System.Globalization;
using FleetDashboard.Core.Actions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace FleetDashboard.Web.Services;

/// <summary>What a history row can be filtered on by outcome: the five outcome kinds, and devices still waiting.</summary>
public enum HistoryOutcome { Succeeded, Failed, NotNotified, Refused, TimedOut, Waiting }

/// <summary>
/// Whose history: one application's, one device's, or one organization's (every run that happened in it, those of
/// deleted applications, refused creations and applications transferred away included).
/// </summary>
public sealed record HistorySubject(int? ApplicationId, int? DeviceId, int? OrganizationId = null)
{
    public static HistorySubject Application(int id) => new(id, null);
    public static HistorySubject Device(int id) => new(null, id);
    public static HistorySubject Organization(int id) => new(null, null, id);

    /// <summary>The CSV export of this history, as the browser downloads it.</summary>
    public string ExportPath =>
        OrganizationId is { } organization ? $"organizations/{organization}/history.csv"
        : ApplicationId is { } app ? $"applications/{app}/history.csv"
        : $"devices/{DeviceId}/history.csv";
}

/// <summary>
/// The history's filters, ANDed. The page and the CSV export read the same ones, so that what is exported
/// is what is listed; they travel in a query string.
/// </summary>
public sealed record HistoryFilter
{
    /// <summary>The action's key exactly ("reboot"): see <see cref="ActionKind.Key"/>.</summary>
    public string? Action { get; init; }

    /// <summary>Part of the email of who clicked.</summary>
    public string? Actor { get; init; }

    public HistoryOutcome? Outcome { get; init; }
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Free text, found in the options, the group's filter text or the refusal.</summary>
    public string? Text { get; init; }

    public static HistoryFilter None { get; } = new();

    public bool IsEmpty => this == None;

    public Dictionary<string, string?> ToQuery() => new()
    {
        ["action"] = Blank(Action),
        ["actor"] = Blank(Actor),
        ["outcome"] = Outcome?.ToString(),
        ["from"] = From?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["to"] = To?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["q"] = Blank(Text),
    };

    /// <summary>"?action=Reboot&amp;outcome=Failed", or "" when nothing is filtered.</summary>
    public string ToQueryString() =>
        QueryHelpers.AddQueryString("", ToQuery().Where(p => p.Value is not null));

    /// <summary>The filter a query string names, or the reason it cannot be read.</summary>
    public static (HistoryFilter? Filter, string? Problem) Parse(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        var values = query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string? Value(string key) => values.TryGetValue(key, out var v) ? Blank(v) : null;

        HistoryOutcome? outcome = null;
        if (Value("outcome") is { } o)
        {
            if (!Enum.TryParse<HistoryOutcome>(o, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return (null, $"Unknown outcome '{o}': use one of {string.Join(", ", Enum.GetNames<HistoryOutcome>())}.");
            outcome = parsed;
        }
        var (from, fromProblem) = Instant(Value("from"), "from");
        var (to, toProblem) = Instant(Value("to"), "to");
        if ((fromProblem ?? toProblem) is { } problem) return (null, problem);
        if (from is not null && to is not null && to <= from) return (null, "'to' must be after 'from'.");
        return (new HistoryFilter { Action = Value("action"), Actor = Value("actor"), Outcome = outcome, From = from, To = to, Text = Value("q") }, null);
    }

    private static (DateTimeOffset?, string?) Instant(string? text, string name)
    {
        if (text is null) return (null, null);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at.ToUniversalTime(), null)
            : (null, $"'{name}' is not a time: use ISO-8601, such as 2026-11-27T12:00:00Z.");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The outcome kind a filter value stands for; null for devices still waiting (they have none yet).</summary>
    public static OutcomeKind? Kind(HistoryOutcome outcome) => outcome switch
    {
        HistoryOutcome.Succeeded => OutcomeKind.Succeeded,
        HistoryOutcome.Failed => OutcomeKind.Failed,
        HistoryOutcome.NotNotified => OutcomeKind.NotNotified,
        HistoryOutcome.Refused => OutcomeKind.Refused,
        HistoryOutcome.TimedOut => OutcomeKind.TimedOut,
        _ => null,
    };

    public static HistoryOutcome Of(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Succeeded => HistoryOutcome.Succeeded,
        OutcomeKind.Failed => HistoryOutcome.Failed,
        OutcomeKind.NotNotified => HistoryOutcome.NotNotified,
        OutcomeKind.Refused => HistoryOutcome.Refused,
        _ => HistoryOutcome.TimedOut,
    };

    /// <summary>"succeeded", "not notified", "waiting".</summary>
    public static string Describe(HistoryOutcome outcome) =>
        Kind(outcome) is { } kind ? Outcomes.Describe(kind, null) : "waiting";
}
