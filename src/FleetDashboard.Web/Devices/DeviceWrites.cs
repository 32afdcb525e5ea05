using System.Threading.Channels;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// What devices change in the store, written together: every change waiting when the previous write ends goes
/// into the next one — one query for their devices, one save, one commit (one disk flush) for all. Each caller
/// still waits for its own change to be committed and hears its own refusal; a quiet fleet writes each change
/// alone, as soon as it comes. Measured (docs/benchmarks.md, B2 and B3): one load, save and commit per message
/// held the server to about a thousand reports per CPU-second, and a fleet reconnecting after a restart to the
/// disk's flushes a second.
/// </summary>
internal sealed class DeviceWrites : IDisposable
{
    /// <summary>At most this many changes in one write: a bound on one transaction, not a wait.</summary>
    private const int MostAtOnce = 2_000;

    private readonly IDbContextFactory<FleetDbContext> _dbs;
    private readonly TimeProvider _clock;
    private readonly Action<Device> _publish;
    private readonly Channel<Change> _changes = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });

    public DeviceWrites(IDbContextFactory<FleetDbContext> dbs, TimeProvider clock, Action<Device> publish)
    {
        _dbs = dbs;
        _clock = clock;
        _publish = publish;
        _ = Task.Run(WriteAllAsync);
    }

    /// <summary>
    /// Applies <paramref name="apply"/> to the device (null when it no longer exists) in the next write and
    /// completes with its result once that write is committed. A change that throws is left out; the others go on.
    /// </summary>
    public async Task<T> WriteAsync<T>(int deviceId, Func<Device?, DateTimeOffset, (T Result, bool Publish)> apply, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var change = new Change<T>(deviceId, apply);
        if (!_changes.Writer.TryWrite(change)) throw new ObjectDisposedException(nameof(DeviceWrites));
        // Once queued the change is written whatever becomes of the caller: it is small, and it happened.
        return await change.Done.Task;
    }

    private async Task WriteAllAsync()
    {
        var batch = new List<Change>();
        while (await _changes.Reader.WaitToReadAsync())
        {
            while (batch.Count < MostAtOnce && _changes.Reader.TryRead(out var change)) batch.Add(change);
            try
            {
                await WriteAsync(batch);
            }
            catch (Exception e)
            {
                foreach (var change in batch) change.Fail(e);
            }
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<Change> batch)
    {
        await using var db = await _dbs.CreateDbContextAsync();
        var ids = batch.Select(c => c.DeviceId).Distinct().ToList();
        var devices = await db.Devices.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id);
        var now = _clock.GetUtcNow();
        var applied = new List<Change>(batch.Count);
        var published = new HashSet<Device>();
        foreach (var change in batch)
        {
            var device = devices.GetValueOrDefault(change.DeviceId);
            try
            {
                if (change.Apply(device, now) && device is not null) published.Add(device);
                applied.Add(change);
            }
            catch (Exception e)
            {
                change.Fail(e);
            }
        }
        await db.SaveChangesAsync();
        foreach (var device in published) _publish(device);
        foreach (var change in applied) change.Complete();
    }

    /// <summary>Takes no more changes; those already queued are still written while the store is there.</summary>
    public void Dispose() => _changes.Writer.TryComplete();

    private abstract class Change(int deviceId)
    {
        public int DeviceId { get; } = deviceId;

        /// <summary>Changes the device; true when the change is news for the feed.</summary>
        public abstract bool Apply(Device? device, DateTimeOffset now);

        public abstract void Complete();

        public abstract void Fail(Exception e);
    }

    private sealed class Change<T>(int deviceId, Func<Device?, DateTimeOffset, (T Result, bool Publish)> apply) : Change(deviceId)
    {
        private T _result = default!;

        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool Apply(Device? device, DateTimeOffset now)
        {
            (_result, var publish) = apply(device, now);
            return publish;
        }

        public override void Complete() => Done.TrySetResult(_result);

        public override void Fail(Exception e) => Done.TrySetException(e);
    }
}
