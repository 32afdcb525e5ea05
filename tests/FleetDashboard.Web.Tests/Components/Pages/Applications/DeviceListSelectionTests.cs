using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Components.Pages.Applications;

namespace FleetDashboard.Web.Tests.Components.Pages.Applications;

public class DeviceListSelectionTests
{
    private const int ApplicationId = 7;
    private static readonly IReadOnlyList<DeviceFilter> NoFilters = [];
    private static readonly IReadOnlyList<DeviceFilter> Kiosks = [DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Contains, "kiosk")];

    [Fact]
    public void Nothing_checked_targets_nothing_and_says_so()
    {
        var selection = new DeviceListSelection(ApplicationId);

        Assert.Null(selection.Targets(Kiosks));
        Assert.Equal("0 selected", selection.Describe(40, filtersApplied: true));
        Assert.False(selection.HeaderState);
    }

    [Fact]
    public void Select_all_with_no_filter_targets_every_device_of_the_application()
    {
        var selection = new DeviceListSelection(ApplicationId);

        selection.ToggleAll();

        var targets = selection.Targets(NoFilters)!;
        Assert.True(targets.SelectAll);
        Assert.Equal(ActionScope.Group, targets.Scope);
        Assert.Equal(ApplicationId, targets.ApplicationId);
        Assert.Empty(targets.Filters);
        Assert.Empty(targets.DeviceIds);
        Assert.Equal(1234, selection.Count(1234));
        Assert.Equal("all 1,234 devices of the application selected", selection.Describe(1234, filtersApplied: false));
        Assert.True(selection.HeaderState);
    }

    [Fact]
    public void Select_all_with_a_filter_targets_the_listed_devices_by_those_filters()
    {
        var selection = new DeviceListSelection(ApplicationId);

        selection.ToggleAll();

        var targets = selection.Targets(Kiosks)!;
        Assert.True(targets.SelectAll);
        Assert.Equal(Kiosks, targets.Filters);
        Assert.Equal("all 12 listed devices selected", selection.Describe(12, filtersApplied: true));
    }

    [Fact]
    public void Devices_checked_one_by_one_are_a_group_of_those_ids()
    {
        var selection = new DeviceListSelection(ApplicationId);

        selection.Check(5, true, [3, 5, 9]);
        selection.Check(3, true, [3, 5, 9]);
        selection.Check(9, true, [3, 5, 9]);
        selection.Check(9, false, [3, 5, 9]);

        var targets = selection.Targets(Kiosks)!;
        Assert.False(targets.SelectAll);
        Assert.Equal(ActionScope.Group, targets.Scope);
        Assert.Equal([3, 5], targets.DeviceIds);
        Assert.Equal("2 selected", selection.Describe(500, filtersApplied: true));
        Assert.Equal(2, selection.Count(500));
        Assert.Null(selection.HeaderState);
    }

    [Fact]
    public void Unchecking_one_device_after_select_all_keeps_the_others_on_screen()
    {
        var selection = new DeviceListSelection(ApplicationId);
        selection.ToggleAll();

        selection.Check(5, false, [3, 5, 9]);

        Assert.False(selection.AllListed);
        Assert.Equal([3, 9], selection.Targets(NoFilters)!.DeviceIds);
    }

    [Fact]
    public void The_top_check_box_clears_a_select_all()
    {
        var selection = new DeviceListSelection(ApplicationId);
        selection.ToggleAll();

        selection.ToggleAll();

        Assert.True(selection.IsEmpty);
        Assert.Null(selection.Targets(NoFilters));
    }
}
