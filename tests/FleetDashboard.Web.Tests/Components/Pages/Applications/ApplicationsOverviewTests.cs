using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Components.Pages.Applications;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Tests.Components.Pages.Applications;

public class ApplicationsOverviewTests
{
    private static readonly ApplicationSummary Kiosks = new(3, "kiosks", ApplicationType.Microservices, "raspberrypi4-64",
        ApplicationRole.Operator, new Dictionary<DeviceStatus, int>());

    private static readonly DeviceRow Sensor = new(9, "0123456789abcdef", "sensor-1", "raspberrypi3", DeviceStatus.Online,
        FleetVersion.Parse("2.12.0"), FleetVersion.Parse("1.1.0"), null, null, "", false, new Dictionary<string, string?>());

    private readonly ApplicationsOverview _shown = new([new OrganizationSummary(1, "Acme", OrganizationPlan.Paid, null, [Kiosks])], [Sensor]);

    [Fact]
    public void A_report_from_a_shown_application_or_a_device_opened_to_support_concerns_the_page()
    {
        Assert.True(_shown.Concerns(new DeviceEvent(40, 3, DateTimeOffset.UnixEpoch) { Status = DeviceStatus.Offline }));
        Assert.True(_shown.Concerns(new DeviceEvent(9, 8, DateTimeOffset.UnixEpoch) { Status = DeviceStatus.Offline }));
        Assert.False(_shown.Concerns(new DeviceEvent(41, 8, DateTimeOffset.UnixEpoch) { Status = DeviceStatus.Offline }));
    }

    [Fact]
    public void The_outcome_of_an_immediate_action_changes_no_count_until_the_device_reports()
    {
        Assert.False(_shown.Concerns(new DeviceEvent(40, 3, DateTimeOffset.UnixEpoch) { ActionRunId = 12 }));
        Assert.True(_shown.Concerns(new DeviceEvent(40, 3, DateTimeOffset.UnixEpoch) { ActionRunId = 12, ChangedDevice = true }));
        Assert.True(_shown.Concerns(new DeviceEvent(DeviceEvent.TheApplication, 3, DateTimeOffset.UnixEpoch) { ActionRunId = 12 }));
    }

    [Fact]
    public void Support_staff_with_single_devices_only_have_no_application_to_miss()
    {
        Assert.True(new ApplicationsOverview([], [Sensor]).OnlySupportDevices);
        Assert.False(_shown.OnlySupportDevices);
    }
}
