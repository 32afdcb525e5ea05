namespace FleetDashboard.Web.Components.Pages.History;

/// <summary>The history's time filter: the periods an operator looks back over.</summary>
public enum HistoryPeriod { Any, LastHour, LastDay, LastWeek, LastMonth }

public static class HistoryPeriods
{
    public static string Describe(HistoryPeriod period) => period switch
    {
        HistoryPeriod.LastHour => "Last hour",
        HistoryPeriod.LastDay => "Last 24 hours",
        HistoryPeriod.LastWeek => "Last 7 days",
        HistoryPeriod.LastMonth => "Last 30 days",
        _ => "Any time",
    };

    /// <summary>Where the period starts, counted back from now; null for any time.</summary>
    public static DateTimeOffset? Since(HistoryPeriod period, DateTimeOffset now) => period switch
    {
        HistoryPeriod.LastHour => now.AddHours(-1),
        HistoryPeriod.LastDay => now.AddDays(-1),
        HistoryPeriod.LastWeek => now.AddDays(-7),
        HistoryPeriod.LastMonth => now.AddDays(-30),
        _ => null,
    };
}
