using System.Text.Json;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// No run waits for ever. The devices an immediate action goes to are stored with the run, each with the moment its
/// answer is due (<see cref="RunTarget"/>); a device still without an outcome after that is closed here, exactly once
/// (the store keeps one outcome per run and device): "timed out" when this process sent it, "interrupted" when a
/// process that is gone did, since no answer can reach it any more.
/// </summary>
public sealed class RunDeadlines(IDbContextFactory<FleetDbContext> dbs, IOptions<DeliveryOptions> options, RunNews news,
    DeliveredOutcomes delivered, TimeProvider clock, Cluster.IClusterLease? lease = null)
{
    public const string Restarted = "interrupted: the server restarted before the device answered";
    public const string Stopped = "interrupted: the server stopped before the device answered";

    /// <summary>
    /// How long past a deadline this process's own deliveries are left to record their answer themselves: their
    /// timer starts when the command goes out, a little after the run was stored.
    /// </summary>
    public static readonly TimeSpan LiveMargin = TimeSpan.FromSeconds(5);

    /// <summary>This process: a target stored by another one was sent by a process that is gone.</summary>
    public string BootId { get; } = lease?.Node ?? Guid.NewGuid().ToString("N");

    /// <summary>
    /// Stores the run's targets in the caller's transaction, after the run is saved and before anything is sent: one
    /// statement with one JSON parameter, so that a reboot of 10,000 devices pays one insert (benchmark B4).
    /// </summary>
    public async Task ExpectAsync(FleetDbContext db, ActionRun run, IReadOnlyList<Device> devices, CancellationToken ct)
    {
        if (devices.Count == 0) return;
        var targets = JsonSerializer.Serialize(devices.Select(d => new object[] { d.Id, d.Uuid, d.Name }));
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO RunTargets (ActionRunId, DeviceId, DeviceUuid, DeviceName, Deadline, BootId)
            SELECT @run, value ->> 0, value ->> 1, value ->> 2, @deadline, @boot FROM json_each(@targets)
            """,
            [
                new SqliteParameter("@run", run.Id), new SqliteParameter("@targets", targets), new SqliteParameter("@boot", BootId),
                new SqliteParameter("@deadline", (clock.GetUtcNow() + options.Value.ActionTimeout).UtcTicks),
            ], ct);
    }

    /// <summary>Closes every target past its deadline (this process's own after <see cref="LiveMargin"/>); the number closed.</summary>
    public Task<int> CloseOverdueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return CloseAsync(now, now - LiveMargin, options.Value.NoAnswer, ct);
    }

    /// <summary>A graceful stop, once the deliveries had their time: this process's targets will never be answered now.</summary>
    public Task<int> CloseOursAsync(CancellationToken ct) => CloseAsync(clock.GetUtcNow(), DateTimeOffset.MaxValue, Stopped, ct);

    private async Task<int> CloseAsync(DateTimeOffset now, DateTimeOffset oursDueBefore, string oursReason, CancellationToken ct)
    {
        const string due = "((BootId = @boot AND Deadline <= @ours) OR (BootId <> @boot AND Deadline <= @now AND BootId IN (SELECT value FROM json_each(@gone))))";
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Mostly there is nothing to close: a read, so that the watch does not take the write lock every few seconds.
        var others = await db.RunTargets.Where(t => t.BootId != BootId && t.Deadline <= now).Select(t => t.BootId).Distinct().ToListAsync(ct);
        // Alone, every other process is gone. One of several nodes closes another's targets only when it holds the
        // lease and that node's heartbeat has expired: a live node closes its own.
        var gone = lease is null || others.Count == 0 ? others : await lease.GoneAsync(others, ct);
        if (gone.Count == 0 && !await db.RunTargets.AnyAsync(t => t.BootId == BootId && t.Deadline <= oursDueBefore, ct))
            return 0;
        var goneJson = JsonSerializer.Serialize(gone);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var closed = await RunOutcomes.ReadAsync(db,
            $"""
             INSERT INTO ActionOutcomes (ActionRunId, DeviceId, DeviceUuid, DeviceName, Kind, Reason, At)
             SELECT ActionRunId, DeviceId, DeviceUuid, DeviceName, @kind, CASE WHEN BootId = @boot THEN @oursReason ELSE @restarted END, @now
             FROM RunTargets WHERE {due}
             {RunOutcomes.KeepFirst}
             """, ct,
            ("@boot", BootId), ("@ours", oursDueBefore.UtcTicks), ("@now", now.UtcTicks), ("@kind", nameof(OutcomeKind.TimedOut)),
            ("@oursReason", oursReason), ("@restarted", Restarted), ("@gone", goneJson));
        // Every target past its deadline has its outcome now (this one, or the answer that came first).
        await db.Database.ExecuteSqlRawAsync($"DELETE FROM RunTargets WHERE {due}",
            [
                new SqliteParameter("@boot", BootId), new SqliteParameter("@ours", oursDueBefore.UtcTicks), new SqliteParameter("@now", now.UtcTicks),
                new SqliteParameter("@gone", goneJson),
            ], ct);
        await transaction.CommitAsync(ct);
        delivered.Recorded(closed);
        if (closed.Count > 0) await TellAsync(db, closed, ct);
        return closed.Count;
    }

    /// <summary>Open pages hear of the outcomes as of any other: the run page's counts stop waiting.</summary>
    private async Task TellAsync(FleetDbContext db, IReadOnlyList<ActionOutcome> closed, CancellationToken ct)
    {
        var runIds = closed.Select(o => o.ActionRunId).Distinct().ToList();
        var applications = await db.ActionRuns.AsNoTracking().Where(r => runIds.Contains(r.Id))
            .Select(r => new { r.Id, r.ApplicationId }).ToDictionaryAsync(r => r.Id, r => r.ApplicationId, ct);
        foreach (var run in closed.GroupBy(o => o.ActionRunId))
            news.Outcomes(run.Key, applications.GetValueOrDefault(run.Key), run, changedDevices: false);
    }
}
