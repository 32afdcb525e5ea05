using System.Security.Claims;
using System.Text;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.Data.Sqlite;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>
/// The CSV export read in pages from a snapshot: complete and in the page's order over many pages, and holding no
/// reader open while the client is slow, so that a checkpoint can empty the write-ahead log meanwhile.
/// </summary>
public sealed class HistoryCsvExportTests : IAsyncLifetime
{
    private const int Runs = 1_200;
    private const int LargeRunOutcomes = 4_500;

    private readonly FleetStore _store = new();
    private Application _kiosks = null!;
    private FleetUser _operator = null!;
    private List<ActionRun> _runs = null!;

    private ClaimsPrincipal Operator => FleetStore.SignedIn(_operator);

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        _operator = await _store.UserAsync("operator");
        var acme = await _store.OrganizationAsync("Acme");
        _kiosks = await _store.ApplicationAsync(acme, "kiosks", members: [(_operator, ApplicationRole.Operator)]);
        var devices = new List<Device>();
        for (var i = 0; i < 3; i++) devices.Add(await _store.DeviceAsync(_kiosks, $"kiosk-{i}"));

        // More runs than one page; pairs share a time (the id breaks the tie); every fourth reached no device; one
        // run has more outcomes than a batch, named out of order.
        _runs = [];
        for (var i = 0; i < Runs; i++)
        {
            var run = Run(_store.Clock.Now.AddMinutes(-(i / 2)), $"option {i}, \"quoted\"");
            if (i % 4 != 0)
                foreach (var device in devices.Take(1 + i % 3))
                    run.Outcomes.Add(Outcome(device, $"{device.Name}", i % 2 == 0 ? OutcomeKind.Succeeded : OutcomeKind.Failed));
            _runs.Add(run);
        }
        var large = Run(_store.Clock.Now.AddMinutes(-100.5), "the large one");
        for (var i = 0; i < LargeRunOutcomes; i++)
            // One outcome per device of a run (the store holds it to that): ids of devices since deleted will do.
        {
            var outcome = Outcome(devices[i % 3], $"device-{(i * 7919) % LargeRunOutcomes:D5}", OutcomeKind.Succeeded);
            outcome.DeviceId = 100_000 + i;
            large.Outcomes.Add(outcome);
        }
        _runs.Add(large);

        await using var db = _store.Db();
        db.ActionRuns.AddRange(_runs);
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    private ActionRun Run(DateTimeOffset at, string options) => new()
    {
        At = at, ActorUserId = _operator.Id, ActorEmail = _operator.Email!, ApplicationId = _kiosks.Id, ApplicationName = _kiosks.Name,
        Scope = ActionScope.Group, ActionKey = "reboot", Action = "Reboot", Options = options, FilterText = "Status is Online",
    };

    private ActionOutcome Outcome(Device device, string name, OutcomeKind kind) => new()
    {
        DeviceId = device.Id, DeviceUuid = device.Uuid, DeviceName = name, Kind = kind, At = _store.Clock.Now,
        Reason = kind == OutcomeKind.Failed ? "agent said no" : null,
    };

    /// <summary>What the export must say: newest run first (the id breaks a tie), a run's outcomes by device name.</summary>
    private IEnumerable<string> Expected()
    {
        yield return HistoryCsv.Line(HistoryCsv.Header);
        foreach (var run in _runs.OrderByDescending(r => r.At).ThenByDescending(r => r.Id))
        {
            var line = new HistoryCsvLine(run.Id, run.At, run.ActorEmail, run.Action, run.Options, run.Scope, run.FilterText, run.Refusal,
                null, null, null, null);
            if (run.Outcomes.Count == 0) yield return HistoryCsv.Line(line);
            foreach (var o in run.Outcomes.OrderBy(o => o.DeviceName, StringComparer.Ordinal).ThenBy(o => o.Id))
                yield return HistoryCsv.Line(line with { DeviceName = o.DeviceName, DeviceUuid = o.DeviceUuid, Kind = o.Kind, Reason = o.Reason });
        }
    }

    private static string[] Lines(byte[] csv) => Encoding.UTF8.GetString(csv).Split("\r\n")[..^1];

    [Fact]
    public async Task An_export_over_many_pages_is_complete_and_in_order()
    {
        var write = await _store.Queries.HistoryCsvAsync(Operator, HistorySubject.Application(_kiosks.Id), HistoryFilter.None);
        using var csv = new MemoryStream();

        await write!(csv, CancellationToken.None);

        var expected = Expected().ToArray();
        Assert.True(expected.Length > FleetQueries.RunsPerPage + LargeRunOutcomes, "the export spans several pages");
        Assert.Equal(expected, Lines(csv.ToArray()));
    }

    [Fact]
    [Trait("Store", "SqliteOnly")] // SQLite's write-ahead log and its checkpoint
    public async Task A_slow_client_holds_no_reader_so_a_write_and_a_checkpoint_go_through_meanwhile()
    {
        var write = await _store.Queries.HistoryCsvAsync(Operator, HistorySubject.Application(_kiosks.Id), HistoryFilter.None);
        var client = new StalledClient();
        var export = Task.Run(() => write!(client, CancellationToken.None));
        await client.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The client has stopped reading: the store is written to and the log checkpointed back to nothing.
        await using (var db = _store.Db())
        {
            db.ActionRuns.Add(Run(_store.Clock.Now.AddMinutes(1), "written during the export"));
            await db.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        await using (var connection = new SqliteConnection($"Data Source={_store.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.CommandTimeout = 5;
            await using var result = await checkpoint.ExecuteReaderAsync();
            Assert.True(await result.ReadAsync());
            Assert.Equal(0L, result.GetInt64(0)); // busy: 1 if a reader had kept the log from being emptied
        }
        Assert.Equal(0, new FileInfo(_store.DatabasePath + "-wal").Length);

        client.Release.SetResult();
        await export.WaitAsync(TimeSpan.FromSeconds(60));
        // The snapshot: what was written after the export began is not in it.
        Assert.Equal(Expected().ToArray(), Lines(client.ToArray()));
    }

    /// <summary>A client that takes the first block of the download, then stops reading until released.</summary>
    private sealed class StalledClient : MemoryStream
    {
        public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            await base.WriteAsync(buffer, offset, count, ct);
            Stalled.TrySetResult();
            await Release.Task.WaitAsync(ct);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            await base.WriteAsync(buffer, ct);
            Stalled.TrySetResult();
            await Release.Task.WaitAsync(ct);
        }
    }
}
