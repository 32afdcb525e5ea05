using FleetDashboard.Core.Actions;

namespace FleetDashboard.Web.Services;

/// <summary>How many devices of a run ended each way, and how many are still waiting for theirs.</summary>
public sealed record OutcomeCounts(int Succeeded, int Failed, int NotNotified, int Refused, int TimedOut, int Waiting)
{
    public static OutcomeCounts None { get; } = new(0, 0, 0, 0, 0, 0);

    public int Of(HistoryOutcome outcome) => outcome switch
    {
        HistoryOutcome.Succeeded => Succeeded,
        HistoryOutcome.Failed => Failed,
        HistoryOutcome.NotNotified => NotNotified,
        HistoryOutcome.Refused => Refused,
        HistoryOutcome.TimedOut => TimedOut,
        _ => Waiting,
    };

    /// <summary>The counts of the outcomes recorded; devices resolved beyond them are waiting.</summary>
    public static OutcomeCounts From(IEnumerable<(OutcomeKind Kind, int Count)> recorded, int resolved)
    {
        var byKind = recorded.GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        int Count(OutcomeKind kind) => byKind.GetValueOrDefault(kind);
        return new OutcomeCounts(Count(OutcomeKind.Succeeded), Count(OutcomeKind.Failed), Count(OutcomeKind.NotNotified),
            Count(OutcomeKind.Refused), Count(OutcomeKind.TimedOut), Math.Max(0, resolved - byKind.Values.Sum()));
    }
}

/// <summary>What became of one device in a run.</summary>
public sealed record OutcomeRow(long RunId, int DeviceId, string DeviceName, string DeviceUuid, OutcomeKind Kind, string? Reason, DateTimeOffset At)
{
    public override string ToString() => Outcomes.Describe(Kind, Reason);
}

/// <summary>One action run as a history lists it; for a device's history, with that device's own outcome.</summary>
public sealed record HistoryRow(long Id, DateTimeOffset At, string ActorEmail, string Action, string Options, ActionScope Scope,
    string FilterText, int DeviceCount, string? Refusal, OutcomeCounts Counts, OutcomeRow? DeviceOutcome)
{
    /// <summary>The application as it was named then, for an organization's history; empty where it is not the reader's to see.</summary>
    public string ApplicationName { get; init; } = "";
}

/// <summary>One page of a history: which filters, which rows.</summary>
public sealed record HistoryRequest(HistorySubject Subject, HistoryFilter Filter, int Skip = 0, int Take = 25)
{
    public const int MaxTake = 200;
}

/// <summary>The rows of one page, how many runs the filters list in all, and the actions the history holds (for the filter).</summary>
/// <param name="Actions">The keys of the actions the history holds, to filter by (<see cref="ActionCatalog.TitleOf"/> names them).</param>
public sealed record HistoryPage(IReadOnlyList<HistoryRow> Rows, int Total, IReadOnlyList<string> Actions);

/// <summary>One action run with its counts. <see cref="OnlySomeDevices"/>: support staff see only the devices granted to them.</summary>
public sealed record ActionRunDetails(long Id, DateTimeOffset At, string ActorEmail, string Action, string Options, ActionScope Scope,
    int? ApplicationId, string ApplicationName, int? DeviceId, string? DeviceName, string FilterText, int DeviceCount,
    string? Refusal, OutcomeCounts Counts, bool OnlySomeDevices);

public enum OutcomeSort { Device, Outcome, Time }

/// <summary>One page of a run's outcomes.</summary>
public sealed record OutcomeListRequest(long RunId, OutcomeKind? Kind = null, OutcomeSort Sort = OutcomeSort.Device,
    bool Descending = false, int Skip = 0, int Take = 50)
{
    public const int MaxTake = 500;
}

public sealed record OutcomePage(IReadOnlyList<OutcomeRow> Rows, int Total);
