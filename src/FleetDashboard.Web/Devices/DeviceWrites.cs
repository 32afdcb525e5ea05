using System.Threading.Channels;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

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

    /// <summary>
    /// A device's connection opened: when (the write's moment), or null when the device is gone or orphaned. Devices
    /// that only connect in a write are updated in statements, not loaded and tracked: a fleet coming back after a
    /// restart is thousands of these at once (B2, B8).
    /// </summary>
    public async Task<DateTimeOffset?> ConnectAsync(int deviceId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var change = new Connect(deviceId);
        if (!_changes.Writer.TryWrite(change)) throw new ObjectDisposedException(nameof(DeviceWrites));
        return await change.Done.Task;
    }

    /// <summary>
    /// A heartbeat: the device's last contact is now. Devices that only beat in a write are updated in statements,
    /// not loaded, with their expiry from <see cref="Device.HeartbeatExpiry"/>.
    /// </summary>
    public async Task HeartbeatAsync(int deviceId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var change = new Heartbeat(deviceId);
        if (!_changes.Writer.TryWrite(change)) throw new ObjectDisposedException(nameof(DeviceWrites));
        await change.Done.Task;
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
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = _clock.GetUtcNow();
        var applied = new List<Change>(batch.Count);
        // Heartbeats and connects of devices that nothing else in the write changes are set-based; the rest load
        // their devices and apply each change in order.
        var loaded = batch.Where(c => c is not (Heartbeat or Connect)).Select(c => c.DeviceId).ToHashSet();
        var published = new HashSet<Device>();
        var connecting = batch.OfType<Connect>().Where(c => !loaded.Contains(c.DeviceId)).ToList();
        if (connecting.Count > 0) await ConnectAllAsync(db, connecting, now, applied, published);
        var beating = batch.OfType<Heartbeat>().Where(c => !loaded.Contains(c.DeviceId)).ToList();
        if (beating.Count > 0)
        {
            var beatingIds = beating.Select(c => c.DeviceId).Distinct().ToList();
            var members = await db.Devices.AsNoTracking().Where(d => beatingIds.Contains(d.Id) && d.ApplicationId != null)
                .Select(d => new { d.Id, d.PollInterval, d.DisconnectedAt }).ToListAsync();
            await WriteByExpiryAsync(db, members.Select(d => (d.Id, Device.HeartbeatExpiry(now, d.DisconnectedAt, d.PollInterval))),
                set => set.SetProperty(d => d.LastContactAt, now));
            var known = members.Select(d => d.Id).ToHashSet();
            foreach (var beat in beating)
            {
                if (known.Contains(beat.DeviceId)) applied.Add(beat);
                else beat.Fail(Heartbeat.NotAMember());
            }
        }
        var ids = loaded.ToList();
        var devices = ids.Count == 0 ? [] : await db.Devices.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id);
        foreach (var change in batch.Where(c => c is not (Heartbeat or Connect) || loaded.Contains(c.DeviceId)))
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
        // A write of heartbeats and connects alone has nothing tracked to save.
        if (ids.Count > 0) await db.SaveChangesAsync();
        await transaction.CommitAsync();
        foreach (var device in published) _publish(device);
        foreach (var change in applied) change.Complete();
    }

    /// <summary>
    /// Connects in statements: read untracked is only what the device's status and heartbeat derive from (enough for
    /// the feed), <see cref="Device.Connected"/> applied to that, and what it changed written as the heartbeats are.
    /// </summary>
    private static async Task ConnectAllAsync(FleetDbContext db, List<Connect> connecting, DateTimeOffset now, List<Change> applied,
        HashSet<Device> published)
    {
        var ids = connecting.Select(c => c.DeviceId).Distinct().ToList();
        var devices = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.Id) && d.ApplicationId != null)
            .Select(d => new Device
            {
                Id = d.Id, Uuid = d.Uuid, Name = d.Name, DeviceType = d.DeviceType, ApplicationId = d.ApplicationId,
                FirstConnectedAt = d.FirstConnectedAt, DisconnectedAt = d.DisconnectedAt, PollInterval = d.PollInterval,
                Progress = d.Progress, ProgressPercent = d.ProgressPercent,
            })
            .ToDictionaryAsync(d => d.Id);
        foreach (var device in devices.Values) device.Connected(now);
        await WriteByExpiryAsync(db, devices.Values.Select(d => (d.Id, d.HeartbeatExpiresAt)), set => set
            .SetProperty(d => d.ConnectedAt, now)
            .SetProperty(d => d.FirstConnectedAt, d => d.FirstConnectedAt ?? now)
            .SetProperty(d => d.LastContactAt, now)
            .SetProperty(d => d.DeactivatedAt, (DateTimeOffset?)null));
        foreach (var connect in connecting)
        {
            if (devices.ContainsKey(connect.DeviceId)) connect.At = now;
            applied.Add(connect);
        }
        published.UnionWith(devices.Values);
    }

    /// <summary>
    /// <paramref name="set"/> written to these devices with each one's heartbeat expiry (a stored derived column), one
    /// statement for each expiry: with the write's one moment, one for each poll interval.
    /// </summary>
    private static async Task WriteByExpiryAsync(FleetDbContext db, IEnumerable<(int Id, DateTimeOffset? Expires)> devices,
        Action<UpdateSettersBuilder<Device>> set)
    {
        foreach (var group in devices.GroupBy(d => d.Expires))
        {
            var ids = group.Select(d => d.Id).ToList();
            await db.Devices.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(setters =>
            {
                set(setters);
                setters.SetProperty(d => d.HeartbeatExpiresAt, group.Key);
            });
        }
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

    private sealed class Heartbeat(int deviceId) : Change(deviceId)
    {
        public static HubException NotAMember() => new("This device is no longer part of any application.");

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool Apply(Device? device, DateTimeOffset now)
        {
            if (device?.ApplicationId is null) throw NotAMember();
            device.LastContactAt = now;
            return false;
        }

        public override void Complete() => Done.TrySetResult();

        public override void Fail(Exception e) => Done.TrySetException(e);
    }

    private sealed class Connect(int deviceId) : Change(deviceId)
    {
        public TaskCompletionSource<DateTimeOffset?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When the connection's record opened; null while the device may not connect.</summary>
        public DateTimeOffset? At { get; set; }

        public override bool Apply(Device? device, DateTimeOffset now)
        {
            if (device is null || device.IsOrphaned) return false;
            device.Connected(now);
            At = now;
            return true;
        }

        public override void Complete() => Done.TrySetResult(At);

        public override void Fail(Exception e) => Done.TrySetException(e);
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
