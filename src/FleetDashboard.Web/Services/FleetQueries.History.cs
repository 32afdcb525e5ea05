using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>The history of action runs, per application and per device, and one run with its outcomes.</summary>
public sealed partial class FleetQueries
{
    /// <summary>One page of a history, newest first; null when its application or device is not visible.</summary>
    public async Task<HistoryPage?> HistoryPageAsync(ClaimsPrincipal user, HistoryRequest request, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var sight = await HistorySight.OfAsync(db, await db.ActorAsync(user, ct), request.Subject, now, ct);
        if (sight is null) return null;
        var deviceId = request.Subject.DeviceId;

        var listed = sight.Runs(db).Filtered(request.Filter, db, deviceId);
        var total = await listed.CountAsync(ct);
        var runs = await listed.NewestFirst()
            .Skip(Math.Max(0, request.Skip)).Take(Math.Clamp(request.Take, 1, HistoryRequest.MaxTake))
            .ToListAsync(ct);
        var ids = runs.Select(r => r.Id).ToList();
        var wholeIds = runs.Where(r => sight.SeesWhole(r)).Select(r => r.Id).ToList();
        var counted = (await db.ActionOutcomes.Where(o => wholeIds.Contains(o.ActionRunId))
                .GroupBy(o => new { o.ActionRunId, o.Kind })
                .Select(g => new { g.Key.ActionRunId, g.Key.Kind, Count = g.Count() })
                .ToListAsync(ct))
            .ToLookup(c => c.ActionRunId, c => (c.Kind, c.Count));
        var own = deviceId is { } device
            ? await db.ActionOutcomes.AsNoTracking().Where(o => o.DeviceId == device && ids.Contains(o.ActionRunId))
                .ToDictionaryAsync(o => o.ActionRunId, ct)
            : [];
        var actions = (await sight.Runs(db).Select(r => r.ActionKey).Distinct().ToListAsync(ct))
            .OrderBy(ActionCatalog.TitleOf, StringComparer.Ordinal).ToList();

        var rows = runs.Select(r =>
        {
            var mine = own.GetValueOrDefault(r.Id);
            var counts = sight.SeesWhole(r)
                ? OutcomeCounts.From(counted[r.Id], r.Refusal is null ? r.DeviceCount : 0)
                // Only this device is seen: it is waiting while a run meant for it has no outcome for it yet.
                : OutcomeCounts.From(mine is null ? [] : [(mine.Kind, 1)], r.Refusal is null && r.DeviceId == deviceId ? 1 : 0);
            // The filters of a run seen through one device name the rest of someone else's fleet.
            return new HistoryRow(r.Id, r.At, r.ActorEmail, r.Action, r.Options, r.Scope, sight.SeesWhole(r) ? r.FilterText : "",
                sight.SeesWhole(r) ? r.DeviceCount : 1, r.Refusal, counts, mine is null ? null : OutcomeRowOf(mine))
            {
                ApplicationName = sight.SeesWhole(r) ? r.ApplicationName : "",
            };
        }).ToList();
        return new HistoryPage(rows, total, actions);
    }

    /// <summary>One action run with its counts; null when it does not exist or the user may not see it.</summary>
    public async Task<ActionRunDetails?> ActionRunAsync(ClaimsPrincipal user, long runId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (run, sight) = await RunAndSightAsync(db, user, runId, ct);
        if (run is null || sight is null) return null;

        var recorded = await sight.Outcomes(db, runId).GroupBy(o => o.Kind)
            .Select(g => new { Kind = g.Key, Count = g.Count() }).ToListAsync(ct);
        var resolved = run.Refusal is not null ? 0
            : sight.OnlyDevices is null ? run.DeviceCount
            : sight.OnlyDevices.Count;
        var deviceName = run.DeviceId is { } deviceId
            ? await db.ActionOutcomes.Where(o => o.ActionRunId == runId && o.DeviceId == deviceId).Select(o => o.DeviceName).FirstOrDefaultAsync(ct)
              ?? await db.Devices.Where(d => d.Id == deviceId).Select(d => d.Name).FirstOrDefaultAsync(ct)
            : null;
        return new ActionRunDetails(run.Id, run.At, run.ActorEmail, run.Action, run.Options, run.Scope, run.ApplicationId,
            sight.OnlyDevices is null ? run.ApplicationName : "", run.DeviceId, deviceName, sight.OnlyDevices is null ? run.FilterText : "",
            sight.OnlyDevices is null ? run.DeviceCount : sight.OnlyDevices.Count, run.Refusal,
            OutcomeCounts.From(recorded.Select(r => (r.Kind, r.Count)), resolved), sight.OnlyDevices is not null);
    }

    /// <summary>One page of a run's per-device outcomes; null when the run does not exist or the user may not see it.</summary>
    public async Task<OutcomePage?> ActionRunOutcomesAsync(ClaimsPrincipal user, OutcomeListRequest request, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (run, sight) = await RunAndSightAsync(db, user, request.RunId, ct);
        if (run is null || sight is null) return null;

        var listed = sight.Outcomes(db, request.RunId);
        if (request.Kind is { } kind) listed = listed.Where(o => o.Kind == kind);
        var total = await listed.CountAsync(ct);
        var sorted = (request.Sort, request.Descending) switch
        {
            (OutcomeSort.Outcome, false) => listed.OrderBy(o => o.Kind).ThenBy(o => o.DeviceName),
            (OutcomeSort.Outcome, true) => listed.OrderByDescending(o => o.Kind).ThenBy(o => o.DeviceName),
            (OutcomeSort.Time, false) => listed.OrderBy(o => o.At).ThenBy(o => o.DeviceName),
            (OutcomeSort.Time, true) => listed.OrderByDescending(o => o.At).ThenBy(o => o.DeviceName),
            (_, false) => listed.OrderBy(o => o.DeviceName),
            (_, true) => listed.OrderByDescending(o => o.DeviceName),
        };
        var rows = await sorted.ThenBy(o => o.Id)
            .Skip(Math.Max(0, request.Skip)).Take(Math.Clamp(request.Take, 1, OutcomeListRequest.MaxTake))
            .ToListAsync(ct);
        return new OutcomePage(rows.Select(OutcomeRowOf).ToList(), total);
    }

    private async Task<(ActionRun? Run, RunSight? Sight)> RunAndSightAsync(FleetDbContext db, ClaimsPrincipal user, long runId, CancellationToken ct)
    {
        var actor = await db.ActorAsync(user, ct);
        var run = await db.ActionRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        return run is null ? (null, null) : (run, await RunSight.OfAsync(db, actor, run, clock.GetUtcNow(), ct));
    }

    private static OutcomeRow OutcomeRowOf(ActionOutcome o) => new(o.ActionRunId, o.DeviceId, o.DeviceName, o.DeviceUuid, o.Kind, o.Reason, o.At);
}
