using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Devices;

namespace FleetDashboard.Web.Tests.Services;

public sealed class SilentDevicesTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    public Task InitializeAsync() => _store.InitializeAsync();
    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task A_device_whose_heartbeat_window_runs_out_is_announced_Offline_once()
    {
        var app = await _store.ApplicationAsync(await _store.OrganizationAsync("Acme"), "fleet");
        var now = _store.Clock.Now;
        var window = DeviceStatusRules.OnlineWindow(TimeSpan.FromMinutes(10));
        var quiet = await _store.DeviceAsync(app, "quiet", d => d.LastContactAt = now - window + TimeSpan.FromSeconds(2));
        await _store.DeviceAsync(app, "chatty", d => d.LastContactAt = now);
        await _store.DeviceAsync(app, "closed", d => { d.LastContactAt = now - window + TimeSpan.FromSeconds(2); d.DisconnectedAt = now; });
        var feed = new DeviceFeed(TimeProvider.System);
        var heard = new List<DeviceEvent>();
        using var _ = feed.Subscribe(_ => true, batch => { lock (heard) heard.AddRange(batch); return Task.CompletedTask; });
        var watch = new SilentDevices(_store.Factory, feed, _store.Clock);

        Assert.Equal(0, await watch.SweepAsync(now - TimeSpan.FromSeconds(5), now, default));
        Assert.Equal(1, await watch.SweepAsync(now, now + TimeSpan.FromSeconds(5), default));
        Assert.Equal(0, await watch.SweepAsync(now + TimeSpan.FromSeconds(5), now + TimeSpan.FromSeconds(10), default));

        await Wait.UntilAsync(() => { lock (heard) return heard.Count > 0; }, "the announcement");
        lock (heard) Assert.Equal([(quiet.Id, (DeviceStatus?)DeviceStatus.Offline)], heard.Select(e => (e.DeviceId, e.Status)));
    }
}
