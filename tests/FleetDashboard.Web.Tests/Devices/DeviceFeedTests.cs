using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Infrastructure;

namespace FleetDashboard.Web.Tests.Devices;

public sealed class DeviceFeedTests
{
    private readonly DeviceFeed _feed = new(TimeProvider.System);

    private static DeviceEvent Status(int deviceId, DeviceStatus status, int applicationId = 1) =>
        new(deviceId, applicationId, DateTimeOffset.UtcNow) { Status = status };

    [Fact]
    public async Task A_storm_about_one_device_reaches_a_subscriber_as_its_latest_state()
    {
        var batches = new List<IReadOnlyList<DeviceEvent>>();
        using var subscription = _feed.Subscribe(_ => true, batch => { lock (batches) batches.Add(batch); return Task.CompletedTask; });

        for (var i = 0; i < 1000; i++) _feed.Publish(Status(7, i % 2 == 0 ? DeviceStatus.Online : DeviceStatus.Updating));
        _feed.Publish(Status(7, DeviceStatus.Offline));
        _feed.Publish(Status(8, DeviceStatus.Online));

        await Wait.UntilAsync(() => { lock (batches) return batches.SelectMany(b => b).Any(e => e.DeviceId == 8); }, "the batch");
        lock (batches)
        {
            var delivered = batches.SelectMany(b => b).ToList();
            Assert.True(delivered.Count <= 4, $"{delivered.Count} events for 1002 published");
            Assert.Equal(DeviceStatus.Offline, delivered.Last(e => e.DeviceId == 7).Status);
        }
    }

    [Fact]
    public async Task A_subscriber_sees_only_what_it_asked_for()
    {
        var seen = new List<DeviceEvent>();
        using var subscription = _feed.Subscribe(e => e.ApplicationId == 2, batch => { lock (seen) seen.AddRange(batch); return Task.CompletedTask; });

        _feed.Publish(Status(1, DeviceStatus.Online, applicationId: 1));
        _feed.Publish(Status(2, DeviceStatus.Online, applicationId: 2));

        await Wait.UntilAsync(() => { lock (seen) return seen.Count > 0; }, "the event of application 2");
        lock (seen) Assert.Equal([2], seen.Select(e => e.DeviceId));
    }

    [Fact]
    public async Task Subscribers_that_go_away_leave_nothing_behind()
    {
        var disposed = _feed.Subscribe(_ => true, _ => Task.CompletedTask);
        var broken = _feed.Subscribe(_ => true, _ => throw new ObjectDisposedException("circuit"));
        Assert.Equal(2, _feed.SubscriberCount);

        disposed.Dispose();
        _feed.Publish(Status(1, DeviceStatus.Online));

        await Wait.UntilAsync(() => _feed.SubscriberCount == 0, "the broken subscriber to be dropped");
        broken.Dispose();
    }

    [Fact]
    public async Task A_lone_event_goes_out_at_once_and_what_follows_waits_for_the_window()
    {
        var clock = new HandClock();
        var feed = new DeviceFeed(clock);
        var seen = new List<int>();
        using var subscription = feed.Subscribe(_ => true, batch => { lock (seen) seen.AddRange(batch.Select(e => e.DeviceId)); return Task.CompletedTask; });

        // The clock never moves by itself, so nothing here can be delivered by a window passing.
        feed.Publish(Status(1, DeviceStatus.Online));
        await Wait.UntilAsync(() => { lock (seen) return seen.Count == 1; }, "the lone event, with no window waited");

        feed.Publish(Status(2, DeviceStatus.Online));
        await Wait.UntilAsync(() => clock.Waiting == 1, "the second event to wait for the window");
        lock (seen) Assert.Equal([1], seen);

        clock.Advance(DeviceFeed.Window);
        await Wait.UntilAsync(() => { lock (seen) return seen.Count == 2; }, "the second event after the window");
        lock (seen) Assert.Equal([1, 2], seen);
    }

    /// <summary>A clock that moves only when told, and fires its timers then.</summary>
    private sealed class HandClock : TimeProvider
    {
        private readonly Lock _gate = new();
        private readonly List<(TimeSpan Due, TimerCallback Callback, object? State)> _timers = [];
        private TimeSpan _now;

        public int Waiting
        {
            get { lock (_gate) return _timers.Count; }
        }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp()
        {
            lock (_gate) return _now.Ticks;
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate) _timers.Add((_now + dueTime, callback, state));
            return new NoTimer();
        }

        public void Advance(TimeSpan by)
        {
            List<(TimeSpan Due, TimerCallback Callback, object? State)> due;
            lock (_gate)
            {
                _now += by;
                due = _timers.Where(t => t.Due <= _now).ToList();
                _timers.RemoveAll(t => t.Due <= _now);
            }
            foreach (var timer in due) timer.Callback(timer.State);
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
