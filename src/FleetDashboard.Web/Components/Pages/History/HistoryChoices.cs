using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Components.Pages.History;

/// <summary>What the operator chose in the history's filter fields, as typed; <see cref="ToFilter"/> makes the query's filter of it.</summary>
public sealed class HistoryChoices
{
    public string? Action { get; set; }
    public string? Actor { get; set; }
    public HistoryOutcome? Outcome { get; set; }
    public HistoryPeriod Period { get; set; } = HistoryPeriod.Any;
    public string? Text { get; set; }

    /// <summary>The filter as it stands at <paramref name="now"/>: blank text filters nothing, typed text is trimmed.</summary>
    public HistoryFilter ToFilter(DateTimeOffset now) => new()
    {
        Action = Action, Actor = Blank(Actor), Outcome = Outcome, From = HistoryPeriods.Since(Period, now), Text = Blank(Text),
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
