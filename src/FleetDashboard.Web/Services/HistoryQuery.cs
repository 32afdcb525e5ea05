using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>
/// Which runs of a history one person may see, worked out afresh on every call. A run belongs to the organization
/// it happened in: it is seen whole by that organization's administrators (its application deleted or transferred
/// away since, or never created), and by whoever sees its application now while it is still in that organization.
/// Support staff who see a device only through a grant see the runs that touched it, but of each only that device:
/// the rest of the fleet is not theirs to see.
/// </summary>
/// <param name="WholeApplications">The applications the person sees, each with the organization it is in now.</param>
/// <param name="AdministeredOrganizations">The organizations whose every run the person reads.</param>
internal sealed record HistorySight(HistorySubject Subject, IReadOnlyDictionary<int, int> WholeApplications,
    IReadOnlyList<int> AdministeredOrganizations, bool DeviceGranted)
{
    /// <summary>Support staff look at devices, not at the customer's people: member changes are not theirs to read.</summary>
    public bool HidesPeople { get; init; }

    public bool SeesWhole(ActionRun run) => SeesWhole(run.OrganizationId, run.ApplicationId);

    /// <summary>Whether a run of this organization and application is read whole (a CSV line carries only these two).</summary>
    public bool SeesWhole(int? organizationId, int? applicationId) =>
        SeesWhole(organizationId, applicationId, WholeApplications, AdministeredOrganizations);

    public static bool SeesWhole(ActionRun run, IReadOnlyDictionary<int, int> applications, IReadOnlyList<int> organizations) =>
        SeesWhole(run.OrganizationId, run.ApplicationId, applications, organizations);

    private static bool SeesWhole(int? organizationId, int? applicationId, IReadOnlyDictionary<int, int> applications,
        IReadOnlyList<int> organizations) =>
        (organizationId is { } organization && organizations.Contains(organization))
        || (applicationId is { } id && applications.TryGetValue(id, out var now) && (organizationId ?? now) == now);

    public IQueryable<ActionRun> Runs(FleetDbContext db) =>
        HidesPeople ? AllRuns(db).Where(r => !HistoryQuery.MemberActions.Contains(r.ActionKey)) : AllRuns(db);

    /// <summary><see cref="SeesWhole"/> in the store. Runs recorded with no organization are those of the application wherever it is.</summary>
    public IQueryable<ActionRun> WholeRuns(FleetDbContext db)
    {
        var organizations = AdministeredOrganizations;
        var applications = WholeApplications.Keys.ToList();
        return db.ActionRuns.AsNoTracking().Where(r =>
            (r.OrganizationId != null && organizations.Contains(r.OrganizationId.Value))
            || (r.ApplicationId != null && applications.Contains(r.ApplicationId.Value)
                && db.Applications.Any(a => a.Id == r.ApplicationId && (r.OrganizationId == null || r.OrganizationId == a.OrganizationId))));
    }

    private IQueryable<ActionRun> AllRuns(FleetDbContext db)
    {
        if (Subject.OrganizationId is { } organizationId)
            return db.ActionRuns.AsNoTracking().Where(r => r.OrganizationId == organizationId);
        if (Subject.ApplicationId is { } applicationId)
            return WholeRuns(db).Where(r => r.ApplicationId == applicationId);
        var deviceId = Subject.DeviceId!.Value;
        var touched = db.ActionOutcomes.Where(o => o.DeviceId == deviceId).Select(o => o.ActionRunId);
        var runs = db.ActionRuns.AsNoTracking().Where(r => r.DeviceId == deviceId || touched.Contains(r.Id));
        if (DeviceGranted) return runs;
        var whole = WholeRuns(db);
        return runs.Where(r => whole.Any(w => w.Id == r.Id));
    }

    /// <summary>Null when the application, device or organization does not exist or the person may not see its history: the two look the same.</summary>
    public static async Task<HistorySight?> OfAsync(FleetDbContext db, Actor actor, HistorySubject subject, DateTimeOffset now, CancellationToken ct)
    {
        var administered = await HistoryQuery.AdministeredOrganizationsAsync(db, actor, ct);
        if (subject.OrganizationId is { } organizationId)
            return administered.Contains(organizationId) ? new HistorySight(subject, new Dictionary<int, int>(), [organizationId], false) : null;

        if (subject.ApplicationId is { } applicationId)
            return await HistoryQuery.VisibleApplicationAsync(db, actor, applicationId, now, ct) is { } application
                ? new HistorySight(subject, new Dictionary<int, int> { [application.Id] = application.OrganizationId }, administered, false)
                    { HidesPeople = actor.IsSupportStaff }
                : null;

        var deviceId = subject.DeviceId ?? throw new ArgumentException("A history is an organization's, an application's or a device's.", nameof(subject));
        var device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null || !await db.CanSeeDeviceAsync(actor, device, now, ct)) return null;
        // The device may have been moved: its runs in an application the person cannot see stay hidden.
        var applications = await db.ActionRuns
            .Where(r => r.ApplicationId != null && (r.DeviceId == deviceId || r.Outcomes.Any(o => o.DeviceId == deviceId)))
            .Select(r => r.ApplicationId!.Value).Distinct().ToListAsync(ct);
        var whole = new Dictionary<int, int>();
        foreach (var id in applications)
            if (await HistoryQuery.VisibleApplicationAsync(db, actor, id, now, ct) is { } application) whole[id] = application.OrganizationId;
        var granted = actor.IsSupportStaff && await HistoryQuery.DeviceGrantsInForce(db, now).AnyAsync(id => id == deviceId, ct);
        return new HistorySight(subject, whole, administered, granted) { HidesPeople = actor.IsSupportStaff };
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
        var administered = await HistoryQuery.AdministeredOrganizationsAsync(db, actor, ct);
        var application = run.ApplicationId is { } applicationId ? await HistoryQuery.VisibleApplicationAsync(db, actor, applicationId, now, ct) : null;
        var applications = application is null ? new Dictionary<int, int>() : new Dictionary<int, int> { [application.Id] = application.OrganizationId };
        if (HistorySight.SeesWhole(run, applications, administered)) return Whole;
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

    /// <summary>The application, when it exists and the person sees it now.</summary>
    public static async Task<Application?> VisibleApplicationAsync(FleetDbContext db, Actor actor, int applicationId, DateTimeOffset now, CancellationToken ct)
    {
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        return application is not null && (await db.AccessAsync(actor, application, now, ct)).CanSee ? application : null;
    }

    /// <summary>The organizations the person administers: their whole history is theirs to read. Support staff administer none.</summary>
    public static async Task<IReadOnlyList<int>> AdministeredOrganizationsAsync(FleetDbContext db, Actor actor, CancellationToken ct) =>
        actor.IsSupportStaff ? [] : await db.OrganizationMembers
            .Where(m => m.UserId == actor.UserId && m.Role == OrganizationRole.Administrator)
            .Select(m => m.OrganizationId).ToListAsync(ct);

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
            runs = runs.Where(r => EF.Functions.Like(r.ActorEmail.ToLower(), pattern, Escape));
        }
        if (filter.From is { } from) runs = runs.Where(r => r.At >= from);
        if (filter.To is { } to) runs = runs.Where(r => r.At < to);
        if (filter.Text is { } text)
        {
            var pattern = Contains(text);
            runs = runs.Where(r => EF.Functions.Like(r.Options.ToLower(), pattern, Escape) || EF.Functions.Like(r.FilterText.ToLower(), pattern, Escape)
                                   || (r.Refusal != null && EF.Functions.Like(r.Refusal.ToLower(), pattern, Escape)));
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

    /// <summary>
    /// Lower case on both sides: SQLite's LIKE ignores case (ASCII) and PostgreSQL's does not; lower() makes the filter
    /// read the same on both stores.
    /// </summary>
    private static string Contains(string text) =>
        "%" + text.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
