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
}
