using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>
/// Which runs of a history one person may see, worked out afresh on every call. A run is seen whole by whoever
/// sees its application now. Support staff who see a device only through a grant see the runs that touched it,
/// but of each only that device: the rest of the fleet is not theirs to see.
/// </summary>
internal sealed record HistorySight(HistorySubject Subject, IReadOnlyList<int> WholeApplications, bool DeviceGranted)
{
    /// <summary>Support staff look at devices, not at the customer's people: member changes are not theirs to read.</summary>
    public bool HidesPeople { get; init; }

    public bool SeesWhole(int? applicationId) =>
        applicationId is { } id && WholeApplications.Contains(id);

    public IQueryable<ActionRun> Runs(FleetDbContext db) =>
        HidesPeople ? AllRuns(db).Where(r => !HistoryQuery.MemberActions.Contains(r.ActionKey)) : AllRuns(db);

    private IQueryable<ActionRun> AllRuns(FleetDbContext db)
    {
        if (Subject.ApplicationId is { } applicationId)
            return db.ActionRuns.AsNoTracking().Where(r => r.ApplicationId == applicationId);
        var deviceId = Subject.DeviceId!.Value;
        var whole = WholeApplications;
        var granted = DeviceGranted;
        var touched = db.ActionOutcomes.Where(o => o.DeviceId == deviceId).Select(o => o.ActionRunId);
        return db.ActionRuns.AsNoTracking()
            .Where(r => r.DeviceId == deviceId || touched.Contains(r.Id))
            .Where(r => granted || (r.ApplicationId != null && whole.Contains(r.ApplicationId.Value)));
    }

    /// <summary>Null when the application or device does not exist or the person may not see it: the two look the same.</summary>
    public static async Task<HistorySight?> OfAsync(FleetDbContext db, Actor actor, HistorySubject subject, DateTimeOffset now, CancellationToken ct)
    {
        if (subject.ApplicationId is { } applicationId)
            return await HistoryQuery.SeesApplicationAsync(db, actor, applicationId, now, ct)
                ? new HistorySight(subject, [applicationId], false) { HidesPeople = actor.IsSupportStaff }
                : null;

        var deviceId = subject.DeviceId ?? throw new ArgumentException("A history is an application's or a device's.", nameof(subject));
        var device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null || !await db.CanSeeDeviceAsync(actor, device, now, ct)) return null;
        // The device may have been moved: its runs in an application the person cannot see stay hidden.
        var applications = await db.ActionRuns
            .Where(r => r.ApplicationId != null && (r.DeviceId == deviceId || r.Outcomes.Any(o => o.DeviceId == deviceId)))
            .Select(r => r.ApplicationId!.Value).Distinct().ToListAsync(ct);
        var whole = new List<int>();
        foreach (var id in applications)
            if (await HistoryQuery.SeesApplicationAsync(db, actor, id, now, ct)) whole.Add(id);
        var granted = actor.IsSupportStaff && await HistoryQuery.DeviceGrantsInForce(db, now).AnyAsync(id => id == deviceId, ct);
        return new HistorySight(subject, whole, granted) { HidesPeople = actor.IsSupportStaff };
    }
}

/// <summary>Which outcomes of one run a person may see: all, or only those of the devices granted to them.</summary>
internal sealed record RunSight(IReadOnlyList<int>? OnlyDevices)
{
    public static RunSight Whole { get; } = new((IReadOnlyList<int>?)null);

    public IQueryable<ActionOutcome> Outcomes(FleetDbContext db, long runId)
    {
        var outcomes = db.ActionOutcomes.AsNoTracking().Where(o => o.ActionRunId == runId);
        var only = OnlyDevices;
        return only is null ? outcomes : outcomes.Where(o => only.Contains(o.DeviceId));
    }

    public static async Task<RunSight?> OfAsync(FleetDbContext db, Actor actor, ActionRun run, DateTimeOffset now, CancellationToken ct)
    {
        if (actor.IsSupportStaff && HistoryQuery.MemberActions.Contains(run.ActionKey)) return null;
        if (run.ApplicationId is { } applicationId && await HistoryQuery.SeesApplicationAsync(db, actor, applicationId, now, ct))
            return Whole;
        if (!actor.IsSupportStaff) return null;
        var runId = run.Id;
        var deviceId = run.DeviceId;
        var granted = await HistoryQuery.DeviceGrantsInForce(db, now)
            .Where(id => id == deviceId || db.ActionOutcomes.Any(o => o.ActionRunId == runId && o.DeviceId == id))
            .Distinct().ToListAsync(ct);
        return granted.Count == 0 ? null : new RunSight(granted);
    }
}

internal static class HistoryQuery
{
    /// <summary>The keys member changes are recorded under: they name people, which support staff do not see.</summary>
    public static readonly string[] MemberActions = [AddMember.Add.Key, ChangeMemberRole.Change.Key, RemoveMember.Remove.Key];

    public static async Task<bool> SeesApplicationAsync(FleetDbContext db, Actor actor, int applicationId, DateTimeOffset now, CancellationToken ct)
    {
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        return application is not null && (await db.AccessAsync(actor, application, now, ct)).CanSee;
    }

    /// <summary>The devices support staff may see one by one now (a device without an application is seen by no one).</summary>
    public static IQueryable<int> DeviceGrantsInForce(FleetDbContext db, DateTimeOffset now) =>
        db.SupportGrants.Where(g => g.DeviceId != null && g.RevokedAt == null && g.Until > now
                                    && db.Devices.Any(d => d.Id == g.DeviceId && d.ApplicationId != null))
            .Select(g => g.DeviceId!.Value);

    public static IQueryable<ActionRun> Filtered(this IQueryable<ActionRun> runs, HistoryFilter filter, FleetDbContext db, int? deviceId)
    {
        if (filter.Action is { } action) runs = runs.Where(r => r.ActionKey == action);
        if (filter.Actor is { } actor)
        {
            var pattern = Contains(actor);
            runs = runs.Where(r => EF.Functions.Like(r.ActorEmail, pattern, Escape));
        }
        if (filter.From is { } from) runs = runs.Where(r => r.At >= from);
        if (filter.To is { } to) runs = runs.Where(r => r.At < to);
        if (filter.Text is { } text)
        {
            var pattern = Contains(text);
            runs = runs.Where(r => EF.Functions.Like(r.Options, pattern, Escape) || EF.Functions.Like(r.FilterText, pattern, Escape)
                                   || (r.Refusal != null && EF.Functions.Like(r.Refusal, pattern, Escape)));
        }
        if (filter.Outcome is { } outcome) runs = runs.WithOutcome(outcome, db, deviceId);
        return runs;
    }

    /// <summary>Runs with an outcome of that kind (for a device's history: the device's own), or still waiting.</summary>
    private static IQueryable<ActionRun> WithOutcome(this IQueryable<ActionRun> runs, HistoryOutcome outcome, FleetDbContext db, int? deviceId)
    {
        var outcomes = deviceId is { } id ? db.ActionOutcomes.Where(o => o.DeviceId == id) : db.ActionOutcomes;
        if (HistoryFilter.Kind(outcome) is not { } kind)
        {
            return deviceId is null
                ? runs.Where(r => r.Refusal == null && r.Outcomes.Count() < r.DeviceCount)
                : runs.Where(r => r.Refusal == null && !outcomes.Any(o => o.ActionRunId == r.Id));
        }
        // A run refused as a whole counts as refused even when it got as far as no device.
        return kind == OutcomeKind.Refused
            ? runs.Where(r => r.Refusal != null || outcomes.Any(o => o.ActionRunId == r.Id && o.Kind == kind))
            : runs.Where(r => outcomes.Any(o => o.ActionRunId == r.Id && o.Kind == kind));
    }

    public static IOrderedQueryable<ActionRun> NewestFirst(this IQueryable<ActionRun> runs) =>
        runs.OrderByDescending(r => r.At).ThenByDescending(r => r.Id);

    private const string Escape = "\\";

    private static string Contains(string text) =>
        "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
