using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Devices;

/// <summary>SPEC §1: device status, derived; Online while connected or heartbeat younger than 1.5 × poll + 15 s.</summary>
public class DeviceStatusTests
{
    private static Device Silent(TimeSpan pollInterval, TimeSpan sinceLastHeartbeat) =>
        OfflineDevice().With(d => { d.PollInterval = pollInterval; d.LastContactAt = Now - sinceLastHeartbeat; });

    [Fact]
    public void Deactivated_device_is_Inactive_even_while_connected()
    {
        Assert.Equal(DeviceStatus.Inactive, Device().With(d => d.DeactivatedAt = Now.AddDays(-1)).StatusAt(Now));
    }

    [Fact]
    public void Device_that_never_connected_is_Post_provisioning()
    {
        var device = OfflineDevice().With(d => { d.FirstConnectedAt = null; d.LastContactAt = null; });

        Assert.Equal(DeviceStatus.PostProvisioning, device.StatusAt(Now));
        Assert.Equal("Post-provisioning", device.StatusAt(Now).Label());
    }

    [Fact]
    public void Device_is_Online_while_its_connection_is_open_however_old_its_last_heartbeat()
    {
        var device = Device().With(d => { d.LastContactAt = Now.AddDays(-3); d.ConnectedAt = Now.AddDays(-3); });

        Assert.Equal(DeviceStatus.Online, device.StatusAt(Now));
    }

    [Fact]
    public void Device_whose_connection_was_seen_closing_is_Offline_at_once_whatever_its_last_heartbeat()
    {
        var device = Device().With(d => { d.LastContactAt = Now.AddSeconds(-5); d.ConnectedAt = Now.AddMinutes(-5); });

        device.Disconnected(Now.AddSeconds(-1));

        Assert.Equal(DeviceStatus.Offline, device.StatusAt(Now));
        Assert.Equal(Now.AddSeconds(-1), device.DisconnectedAt);
    }

    [Fact]
    public void A_heartbeat_after_the_last_close_counts_again()
    {
        var device = OfflineDevice().With(d => { d.DisconnectedAt = Now.AddMinutes(-2); d.LastContactAt = Now.AddMinutes(-1); });

        Assert.Equal(DeviceStatus.Online, device.StatusAt(Now));
    }

    [Fact]
    public void Reconnecting_after_a_close_is_Online_again()
    {
        var device = Device().With(d => d.ConnectedAt = null);
        device.Disconnected(Now.AddMinutes(-1));

        device.Connected(Now);

        Assert.Equal(DeviceStatus.Online, device.StatusAt(Now));
    }

    [Theory]
    [InlineData(10, "00:15:14.999", DeviceStatus.Online)]
    [InlineData(10, "00:15:15", DeviceStatus.Offline)]
    [InlineData(1, "00:01:44.999", DeviceStatus.Online)]
    [InlineData(1, "00:01:45", DeviceStatus.Offline)]
    [InlineData(1, "00:00:00", DeviceStatus.Online)]
    public void Device_without_a_connection_is_Online_until_1_5_poll_intervals_and_15_s_after_its_last_heartbeat(
        int pollMinutes, string sinceLastHeartbeat, DeviceStatus status)
    {
        var device = Silent(TimeSpan.FromMinutes(pollMinutes), TimeSpan.Parse(sinceLastHeartbeat));

        Assert.Equal(status, device.StatusAt(Now));
        Assert.Equal(status == DeviceStatus.Online, device.IsReachableAt(Now));
    }

    [Theory]
    [InlineData(10, 915)]
    [InlineData(1, 105)]
    public void Online_window_is_1_5_poll_intervals_and_15_seconds(int pollMinutes, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), DeviceStatusRules.OnlineWindow(TimeSpan.FromMinutes(pollMinutes)));
    }

    [Fact]
    public void Device_never_heard_from_since_connecting_once_is_Offline()
    {
        Assert.Equal(DeviceStatus.Offline, OfflineDevice().With(d => d.LastContactAt = null).StatusAt(Now));
    }

    [Theory]
    [InlineData(DeviceProgress.ApplyingRelease, DeviceStatus.Updating)]
    [InlineData(DeviceProgress.UpdatingHostOs, DeviceStatus.Configuring)]
    [InlineData(DeviceProgress.Idle, DeviceStatus.Online)]
    public void Online_device_shows_what_it_is_busy_with(DeviceProgress progress, DeviceStatus status)
    {
        Assert.Equal(status, Device().With(d => d.Progress = progress).StatusAt(Now));
    }

    [Theory]
    [InlineData(DeviceProgress.ApplyingRelease)]
    [InlineData(DeviceProgress.UpdatingHostOs)]
    public void Busy_device_that_went_silent_is_Offline(DeviceProgress progress)
    {
        Assert.Equal(DeviceStatus.Offline, OfflineDevice().With(d => d.Progress = progress).StatusAt(Now));
    }

    [Fact]
    public void Offline_device_shows_no_progress_whatever_it_last_reported()
    {
        var device = OfflineDevice().With(d => { d.Progress = DeviceProgress.ApplyingRelease; d.ProgressPercent = 50; });

        Assert.Equal(DeviceProgress.Idle, device.ProgressAt(Now));
        Assert.Null(device.ProgressPercentAt(Now));
    }

    [Fact]
    public void Inactive_device_shows_no_progress_even_while_connected()
    {
        var device = Device().With(d => { d.DeactivatedAt = Now.AddDays(-1); d.Progress = DeviceProgress.UpdatingHostOs; d.ProgressPercent = 30; });

        Assert.Equal(DeviceProgress.Idle, device.ProgressAt(Now));
        Assert.Null(device.ProgressPercentAt(Now));
    }

    [Fact]
    public void Online_device_shows_its_progress()
    {
        var device = Device().With(d => { d.Progress = DeviceProgress.ApplyingRelease; d.ProgressPercent = 50; });

        Assert.Equal(DeviceProgress.ApplyingRelease, device.ProgressAt(Now));
        Assert.Equal(50, device.ProgressPercentAt(Now));
    }

    [Fact]
    public void Busy_device_online_by_heartbeat_shows_its_work()
    {
        var device = Silent(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5)).With(d => d.Progress = DeviceProgress.UpdatingHostOs);

        Assert.Equal(DeviceStatus.Configuring, device.StatusAt(Now));
    }

    [Theory]
    [InlineData(DeviceStatus.Online, "Online")]
    [InlineData(DeviceStatus.Updating, "Updating")]
    [InlineData(DeviceStatus.Configuring, "Configuring")]
    [InlineData(DeviceStatus.Offline, "Offline")]
    [InlineData(DeviceStatus.Inactive, "Inactive")]
    public void Status_label_is_its_name(DeviceStatus status, string label)
    {
        Assert.Equal(label, status.Label());
    }
}
