using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Services;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>
/// A device's connection opening, written in statements rather than through a loaded device; and closing while it has
/// already reconnected: the newer connection wins, in every order.
/// </summary>
public sealed class DeviceStatesTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly FleetStore _store = new();
    private PausedSaves _saves = null!;
    private DeviceFeed _feed = null!;
    private DeviceStates _states = null!;
    private Application _kiosks = null!;
    private Device _device = null!;

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        var acme = await _store.OrganizationAsync("Acme");
        _kiosks = await _store.ApplicationAsync(acme, "kiosks", ApplicationType.Microservices);
        _device = await _store.DeviceAsync(_kiosks, "kiosk-1");
        _saves = new PausedSaves(_store.Folder);
        _feed = new DeviceFeed(_store.Clock);
        _states = new DeviceStates(_saves, _feed, _store.Clock);
    }

    [Fact]
    public async Task A_connect_opens_the_record_reactivates_the_device_and_tells_the_feed_it_is_Online()
    {
        var device = await _store.DeviceAsync(_kiosks, "kiosk-2", d =>
        {
            d.FirstConnectedAt = null;
            d.DeactivatedAt = _store.Clock.Now.AddDays(-1);
            d.DisconnectedAt = _store.Clock.Now.AddDays(-1);
            d.PollInterval = TimeSpan.FromMinutes(2);
        });
        var online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = _feed.Subscribe(e => e.DeviceId == device.Id, batch =>
        {
            if (batch.Any(e => e.Status == DeviceStatus.Online && e.ApplicationId == _kiosks.Id)) online.TrySetResult();
            return Task.CompletedTask;
        });

        var first = await _states.ConnectedAsync(device.Id, CancellationToken.None);

        Assert.Equal(_store.Clock.Now, first);
        var connected = await _store.ReloadAsync(device);
        Assert.Equal((first, first, first, null), (connected.ConnectedAt, connected.FirstConnectedAt, connected.LastContactAt, connected.DeactivatedAt));
        Assert.Equal(first + DeviceStatusRules.OnlineWindow(TimeSpan.FromMinutes(2)), await StoredHeartbeatExpiryAsync(device));
        await online.Task.WaitAsync(Deadline);

        // Connected once is connected first then: a later connection moves the rest, not that.
        await _states.DisconnectedAsync(device.Id, first!.Value);
        _store.Clock.Now += TimeSpan.FromMinutes(5);
        var second = await _states.ConnectedAsync(device.Id, CancellationToken.None);
        var again = await _store.ReloadAsync(device);
        Assert.Equal((second, first, second), (again.ConnectedAt, again.FirstConnectedAt, again.LastContactAt));
        Assert.Equal(second + DeviceStatusRules.OnlineWindow(TimeSpan.FromMinutes(2)), await StoredHeartbeatExpiryAsync(device));
    }

    [Fact]
    public async Task An_orphaned_or_unknown_device_is_not_connected()
    {
        var orphan = await _store.DeviceAsync(_kiosks, "kiosk-3", d => d.Orphan(_store.Clock.Now.AddHours(-1)));

        Assert.Null(await _states.ConnectedAsync(orphan.Id, CancellationToken.None));
        Assert.Null(await _states.ConnectedAsync(int.MaxValue, CancellationToken.None));
        Assert.Null((await _store.ReloadAsync(orphan)).ConnectedAt);
    }

    /// <summary>The expiry as stored, which the status filters and counts read (the property derives it anew).</summary>
    private async Task<DateTimeOffset?> StoredHeartbeatExpiryAsync(Device device)
    {
        await using var db = _store.Db();
        return await db.Devices.Where(d => d.Id == device.Id).Select(d => d.HeartbeatExpiresAt).SingleAsync();
    }

    public async Task DisposeAsync()
    {
        _states.Dispose();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_reconnect_that_commits_while_the_old_connection_closes_is_not_overwritten()
    {
        var first = (await _states.ConnectedAsync(_device.Id, CancellationToken.None))!.Value;
        _store.Clock.Now += TimeSpan.FromSeconds(1);
        Task<DateTimeOffset?>? reconnected = null;
        // Just before the close writes, the device's new connection is recorded. It commits there and then unless
        // the close holds the store's write lock from its read to its write (SQLite lets no other writer in then),
        // in which case it is recorded right after.
        _saves.AtNextSave(async context =>
        {
            reconnected = _states.ConnectedAsync(_device.Id, CancellationToken.None);
            if (context.Database.CurrentTransaction is null) await reconnected.WaitAsync(Deadline);
        });

        await _states.DisconnectedAsync(_device.Id, first).WaitAsync(Deadline);
        Assert.NotNull(reconnected);
        var second = await reconnected.WaitAsync(Deadline);

        var device = await _store.ReloadAsync(_device);
        Assert.Equal(second, device.ConnectedAt);
        Assert.Equal(DeviceStatus.Online, device.StatusAt(_store.Clock.Now));
    }

    [Fact]
    public async Task A_close_written_after_the_reconnect_in_the_same_write_leaves_the_device_Online()
    {
        var first = (await _states.ConnectedAsync(_device.Id, CancellationToken.None))!.Value;
        var other = await _store.DeviceAsync(await _store.ApplicationAsync(await _store.OrganizationAsync("Globex"), "signs"), "sign-1");
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _saves.AtNextSave(async _ =>
        {
            held.SetResult();
            await release.Task.WaitAsync(Deadline);
        });
        // Another device's write holds the writer, so that the reconnect and then the old close queue behind it. A close,
        // not a connect: connects are written in statements, without a save to pause.
        var otherConnectedAt = (await _states.ConnectedAsync(other.Id, CancellationToken.None))!.Value;
        var holding = _states.DisconnectedAsync(other.Id, otherConnectedAt);
        await held.Task.WaitAsync(Deadline);
        _store.Clock.Now += TimeSpan.FromSeconds(1);
        var reconnected = _states.ConnectedAsync(_device.Id, CancellationToken.None);
        var closed = _states.DisconnectedAsync(_device.Id, first);
        release.SetResult();

        await Task.WhenAll(holding, reconnected, closed).WaitAsync(Deadline);

        var device = await _store.ReloadAsync(_device);
        Assert.Equal(await reconnected, device.ConnectedAt);
        Assert.Equal(DeviceStatus.Online, device.StatusAt(_store.Clock.Now));
    }

    /// <summary>Contexts over the store that run a test's step at their next save, before it is written.</summary>
    private sealed class PausedSaves(FleetDataFolder data) : SaveChangesInterceptor, IDbContextFactory<FleetDbContext>
    {
        private Func<DbContext, Task>? _step;

        public void AtNextSave(Func<DbContext, Task> step) => _step = step;

        public FleetDbContext CreateDbContext() => data.Db(options => options.AddInterceptors(this));

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _step, null) is { } step) await step(eventData.Context!);
            return result;
        }
    }
}
