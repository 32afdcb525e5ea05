using System.Security.Claims;
using System.Text;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>
/// The history as CSV, streamed in pages. A client reads at its own pace, and a SQLite reader held open meanwhile pins
/// the write-ahead log: no checkpoint gets past it and the log grows for as long as the download lasts. So each page is
/// read whole and its reader closed before a byte of it is written. The pages come from one snapshot: runs and outcomes
/// up to the ids that were last when the export began (history is only ever appended to), in the page's order
/// (newest run first, a run's outcomes by device name), walked by key rather than by offset.
/// </summary>
public sealed partial class FleetQueries
{
    /// <summary>Runs read per page; their outcomes are read in batches of at most <see cref="OutcomesPerPage"/>.</summary>
    internal const int RunsPerPage = 500;

    internal const int OutcomesPerPage = 2_000;

    /// <summary>
    /// The filtered history as CSV, to be written to a stream; null when its application or device is not visible.
    /// Visibility is decided now, before a byte is sent; the lines are then read page by page as they are written,
    /// never gathered whole in memory (a run may have 10,000 outcomes).
    /// </summary>
    public async Task<Func<Stream, CancellationToken, Task>?> HistoryCsvAsync(ClaimsPrincipal user, HistorySubject subject,
        HistoryFilter filter, CancellationToken ct = default)
    {
        HistorySight? sight;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            sight = await HistorySight.OfAsync(db, await db.ActorAsync(user, ct), subject, clock.GetUtcNow(), ct);
        return sight is null ? null : (stream, token) => WriteCsvAsync(sight, filter, stream, token);
    }

    private async Task WriteCsvAsync(HistorySight sight, HistoryFilter filter, Stream stream, CancellationToken ct)
    {
        CsvSnapshot snapshot;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            snapshot = new CsvSnapshot(
                await db.ActionRuns.MaxAsync(r => (long?)r.Id, ct) ?? 0,
                await db.ActionOutcomes.MaxAsync(o => (long?)o.Id, ct) ?? 0);

        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(HistoryCsv.Line(HistoryCsv.Header));
        CsvRun? after = null;
        while (await RunPageAsync(sight, filter, snapshot, after, ct) is { Count: > 0 } runs)
        {
            // Runs with few outcomes share one read; a run with many is read in pages of its own.
            foreach (var batch in Batches(runs))
            {
                if (batch.Count == 1 && batch[0].Outcomes > OutcomesPerPage)
                {
                    await WriteLargeRunAsync(sight, snapshot, batch[0], writer, ct);
                    continue;
                }
                var outcomes = await OutcomesAsync(sight, snapshot, batch, ct);
                foreach (var run in batch) await WriteRunAsync(sight, run, outcomes[run.Id], writer);
            }
            after = runs[^1];
        }
        await writer.FlushAsync(ct);
    }

    private async Task<List<CsvRun>> RunPageAsync(HistorySight sight, HistoryFilter filter, CsvSnapshot snapshot, CsvRun? after, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var deviceId = sight.Subject.DeviceId;
        var runs = sight.Runs(db).Filtered(filter, db, deviceId).Where(r => r.Id <= snapshot.LastRun);
        if (after is not null) runs = runs.Where(r => r.At < after.At || (r.At == after.At && r.Id < after.Id));
        return await runs.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(RunsPerPage)
            .Select(r => new CsvRun(r.Id, r.At, r.ActorEmail, r.Action, r.Options, r.Scope, r.FilterText, r.Refusal, r.OrganizationId, r.ApplicationId,
                db.ActionOutcomes.Count(o => o.ActionRunId == r.Id && o.Id <= snapshot.LastOutcome && (deviceId == null || o.DeviceId == deviceId))))
            .ToListAsync(ct);
    }

    private static IEnumerable<List<CsvRun>> Batches(List<CsvRun> runs)
    {
        var batch = new List<CsvRun>();
        var outcomes = 0;
        foreach (var run in runs)
        {
            if (batch.Count > 0 && outcomes + run.Outcomes > OutcomesPerPage)
            {
                yield return batch;
                (batch, outcomes) = ([], 0);
            }
            batch.Add(run);
            outcomes += run.Outcomes;
        }
        if (batch.Count > 0) yield return batch;
    }

    private async Task<ILookup<long, CsvOutcome>> OutcomesAsync(HistorySight sight, CsvSnapshot snapshot, List<CsvRun> runs, CancellationToken ct)
    {
        var ids = runs.Where(r => r.Outcomes > 0).Select(r => r.Id).ToList();
        if (ids.Count == 0) return Array.Empty<CsvOutcome>().ToLookup(o => o.RunId);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await Outcomes(db, sight, snapshot).Where(o => ids.Contains(o.ActionRunId))
            .OrderBy(o => o.ActionRunId).ThenBy(o => o.DeviceName).ThenBy(o => o.Id)
            .Select(o => new CsvOutcome(o.ActionRunId, o.Id, o.DeviceName, o.DeviceUuid, o.Kind, o.Reason))
            .ToListAsync(ct);
        return rows.ToLookup(o => o.RunId);
    }

    private async Task WriteLargeRunAsync(HistorySight sight, CsvSnapshot snapshot, CsvRun run, StreamWriter writer, CancellationToken ct)
    {
        CsvOutcome? after = null;
        while (true)
        {
            List<CsvOutcome> page;
            await using (var db = await dbs.CreateDbContextAsync(ct))
            {
                var outcomes = Outcomes(db, sight, snapshot).Where(o => o.ActionRunId == run.Id);
                if (after is not null)
                    outcomes = outcomes.Where(o => string.Compare(o.DeviceName, after.DeviceName) > 0
                                                   || (o.DeviceName == after.DeviceName && o.Id > after.Id));
                page = await outcomes.OrderBy(o => o.DeviceName).ThenBy(o => o.Id).Take(OutcomesPerPage)
                    .Select(o => new CsvOutcome(o.ActionRunId, o.Id, o.DeviceName, o.DeviceUuid, o.Kind, o.Reason))
                    .ToListAsync(ct);
            }
            if (page.Count == 0) return;
            await WriteRunAsync(sight, run, page, writer);
            after = page[^1];
        }
    }

    /// <summary>A device's export holds that device's own outcomes: the rest of a group run is the application's history.</summary>
    private static IQueryable<ActionOutcome> Outcomes(FleetDbContext db, HistorySight sight, CsvSnapshot snapshot)
    {
        var deviceId = sight.Subject.DeviceId;
        return db.ActionOutcomes.AsNoTracking().Where(o => o.Id <= snapshot.LastOutcome && (deviceId == null || o.DeviceId == deviceId));
    }

    /// <summary>One line per outcome, or one for a run that reached no device. The filter is shown only to those who see the run whole.</summary>
    private static async Task WriteRunAsync(HistorySight sight, CsvRun run, IEnumerable<CsvOutcome> outcomes, StreamWriter writer)
    {
        var filterText = sight.SeesWhole(run.OrganizationId, run.ApplicationId) ? run.FilterText : "";
        var line = new HistoryCsvLine(run.Id, run.At, run.ActorEmail, run.Action, run.Options, run.Scope, filterText, run.Refusal,
            null, null, null, null);
        if (run.Outcomes == 0)
        {
            await writer.WriteLineAsync(HistoryCsv.Line(line));
            return;
        }
        foreach (var o in outcomes)
            await writer.WriteLineAsync(HistoryCsv.Line(line with { DeviceName = o.DeviceName, DeviceUuid = o.DeviceUuid, Kind = o.Kind, Reason = o.Reason }));
    }

    /// <summary>The last run and outcome when the export began: nothing after them is in it.</summary>
    private sealed record CsvSnapshot(long LastRun, long LastOutcome);

    private sealed record CsvRun(long Id, DateTimeOffset At, string ActorEmail, string Action, string Options, ActionScope Scope,
        string FilterText, string? Refusal, int? OrganizationId, int? ApplicationId, int Outcomes);

    private sealed record CsvOutcome(long RunId, long Id, string DeviceName, string DeviceUuid, OutcomeKind Kind, string? Reason);
}
