using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Components.Pages.Devices;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Tests.Components.Pages.Devices;

public class ShownDeviceTests
{
    private static readonly DeviceRow Row = new(7, "0123456789abcdef", "kiosk-1", "raspberrypi4-64", DeviceStatus.Online,
        FleetVersion.Parse("2.9.0"), FleetVersion.Parse("1.0.4"), null, null, "", false,
        new Dictionary<string, string?> { ["site"] = "north", ["floor"] = null });

    private static ShownDevice Shown(ApplicationRole? role, DeviceProgress progress = DeviceProgress.Idle, int? percent = null) =>
        new(new DeviceDetails(Row, 3, "kiosks", ApplicationType.Microservices, role)
        {
            Progress = progress, ProgressPercent = percent, TargetHostOs = FleetVersion.Parse("2.12.0"),
        }, "https://0123456789abcdef.devices.example.test/");

    [Fact]
    public void Support_staff_through_a_grant_on_the_device_act_as_observers_and_cannot_open_its_application()
    {
        var shown = Shown(role: null);

        Assert.Equal(ApplicationRole.Observer, shown.Role);
        Assert.False(shown.CanOpenApplication);
        Assert.True(Shown(ApplicationRole.Observer).CanOpenApplication);
    }

    [Theory]
    [InlineData(DeviceProgress.Idle, null, null)]
    [InlineData(DeviceProgress.ApplyingRelease, 40, "Applying release · 40%")]
    [InlineData(DeviceProgress.UpdatingHostOs, null, "Updating host OS to 2.12.0 · 0%")]
    public void Says_what_the_device_is_busy_with(DeviceProgress progress, int? percent, string? expected) =>
        Assert.Equal(expected, Shown(ApplicationRole.Operator, progress, percent).ProgressText);

    [Fact]
    public void The_dialog_starts_from_the_device_its_first_tag_and_a_newer_host_os()
    {
        var shown = Shown(ApplicationRole.Operator);
        var initial = shown.Initial();

        Assert.Equal("kiosk-1", initial.Name);
        Assert.Equal("floor", initial.TagName);
        Assert.True(initial.HostOs is null || initial.HostOs > Row.HostOs);
    }
}
