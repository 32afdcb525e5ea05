using Bunit;
using FleetDashboard.Web.Components.Shared;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Components.Shared;

public sealed class RefreshOnDeviceEventsTests : ComponentTest
{
    private readonly DeviceFeed _feed = new(TimeProvider.System);
    private readonly List<IReadOnlyList<DeviceEvent>> _reloads = [];
    private readonly Lock _gate = new();
    private int _running;
    private int _mostAtOnce;
    private TaskCompletionSource _release = Released();

    protected override Task ArrangeAsync()
    {
        Services.AddSingleton(_feed);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_page_hears_only_of_what_it_shows_and_stops_hearing_when_it_goes()
    {
        Render(catchUp: false);
        await Wait.UntilAsync(() => _feed.SubscriberCount == 1, "the component subscribes");

        _feed.Publish(Event(deviceId: 2));
        _feed.Publish(Event(deviceId: 1));

        await Wait.UntilAsync(() => Reloads.Count == 1, "one reload");
        Assert.Equal([1], Reloads[0].Select(e => e.DeviceId));
        await DisposeComponentsAsync();
        Assert.Equal(0, _feed.SubscriberCount);
    }

    [Fact]
    public async Task Events_that_arrive_during_a_reload_make_one_more_reload_not_one_each()
    {
        Render(catchUp: false);
        await Wait.UntilAsync(() => _feed.SubscriberCount == 1, "the component subscribes");
        _release = new TaskCompletionSource();

        _feed.Publish(Event(deviceId: 1));
        await Wait.UntilAsync(() => Reloads.Count == 1, "the first reload starts");
        _feed.Publish(Event(deviceId: 1, percent: 10));
        _feed.Publish(Event(deviceId: 1, percent: 20));
        _feed.Publish(Event(deviceId: 1, percent: 30));
        _release.SetResult();

        await Wait.UntilAsync(() => Reloads.Count == 2, "one more reload for what arrived meanwhile");
        Assert.Equal([30], Reloads[1].Select(e => e.ProgressPercent));
        Assert.Equal(1, _mostAtOnce);
    }

    [Fact]
    public async Task Catching_up_reloads_once_on_subscribing()
    {
        Render(catchUp: true);

        await Wait.UntilAsync(() => Reloads.Count == 1, "the catch-up reload");
        Assert.Empty(Reloads[0]);
        Assert.Equal(1, _feed.SubscriberCount);
    }

    private List<IReadOnlyList<DeviceEvent>> Reloads
    {
        get { lock (_gate) return [.. _reloads]; }
    }

    private void Render(bool catchUp) => Render<RefreshOnDeviceEvents>(ps => ps
        .Add(p => p.About, e => e.DeviceId == 1)
        .Add(p => p.Reload, ReloadAsync)
        .Add(p => p.CatchUp, catchUp));

    private async Task ReloadAsync(IReadOnlyList<DeviceEvent> batch)
    {
        lock (_gate)
        {
            _reloads.Add(batch);
            _mostAtOnce = Math.Max(_mostAtOnce, ++_running);
        }
        await _release.Task;
        lock (_gate) _running--;
    }

    private static DeviceEvent Event(int deviceId, int? percent = null) =>
        new(deviceId, 7, DateTimeOffset.UnixEpoch) { ProgressPercent = percent };

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource();
        released.SetResult();
        return released;
    }
}
