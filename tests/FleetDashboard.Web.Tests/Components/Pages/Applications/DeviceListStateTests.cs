using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Components.Pages.Applications;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Tests.Components.Pages.Applications;

public class DeviceListStateTests
{
    private static readonly IReadOnlyList<DeviceFilter> Kiosks = [DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Contains, "kiosk")];

    [Fact]
    public void A_second_click_on_the_sorted_column_turns_its_order_round_and_another_column_sorts_from_a()
    {
        var list = new DeviceListState(7);

        list.SortBy(nameof(DeviceSort.Name));
        Assert.True(list.Descending);
        list.SortBy(nameof(DeviceSort.LastSeen));
        Assert.Equal((nameof(DeviceSort.LastSeen), false), (list.SortedBy, list.Descending));
        Assert.Equal(DeviceSort.LastSeen, list.Request().Sort);
    }

    [Fact]
    public void Filtering_clears_the_check_boxes_goes_to_the_first_page_and_no_filter_left_ends_the_view()
    {
        var list = new DeviceListState(7) { View = new SavedViewRow(3, "kiosks", Kiosks, "a@example.test", DateTimeOffset.UnixEpoch) };
        list.PageTo(2, 25);
        list.Selection.Check(5, true, [5]);

        list.Filter(Kiosks);
        Assert.Equal((0, 25), (list.Page, list.PageSize));
        Assert.True(list.Selection.IsEmpty);
        Assert.NotNull(list.View);

        list.Filter([]);
        Assert.Null(list.View);
        Assert.False(list.ListFiltered);
    }

    [Fact]
    public void Removing_the_tag_column_sorted_by_sorts_by_name_again()
    {
        var list = new DeviceListState(7) { TagColumns = ["site"] };
        list.SortBy(TagColumns.SortLabel("site"));
        Assert.Equal(("site", DeviceSort.Tag), (list.Request().SortTag, list.Request().Sort));

        list.TagColumns = [];
        list.TagColumnsChanged();

        Assert.Equal(nameof(DeviceSort.Name), list.SortedBy);
    }

    [Fact]
    public void An_empty_later_page_asks_for_the_last_page_there_is()
    {
        var list = new DeviceListState(7);
        list.PageTo(3, 50);

        Assert.True(list.Show(new DevicePage([], 120)));
        Assert.Equal(2, list.Page);
        Assert.False(list.Show(new DevicePage([], 0)));
        Assert.False(list.Show(null));
        Assert.Equal("This application has no devices yet.", list.EmptyText);
    }

    [Theory]
    [InlineData(false, "1 checked device of kiosks")]
    [InlineData(true, "every device of kiosks")]
    public void The_confirmation_says_what_the_group_is(bool all, string expected)
    {
        var list = new DeviceListState(7);
        list.Show(new DevicePage([], 40));
        if (all) list.Selection.ToggleAll();
        else list.Selection.Check(5, true, [5]);

        Assert.Equal(expected, list.SelectionDescription("kiosks"));
    }
    [Fact]
    public void A_status_in_the_live_feed_shows_on_its_row_at_once_and_nothing_else_changes()
    {
        var list = new DeviceListState(7);
        list.Show(new DevicePage([Row(1, DeviceStatus.Online), Row(2, DeviceStatus.Online)], 2));
        var at = DateTimeOffset.UnixEpoch;

        Assert.False(list.Patch([new DeviceEvent(1, 7, at) { Status = DeviceStatus.Online }]), "no change, no render");
        Assert.False(list.Patch([new DeviceEvent(3, 7, at) { Status = DeviceStatus.Offline }]), "a device not on screen");
        Assert.False(list.Patch([new DeviceEvent(1, 8, at) { Status = DeviceStatus.Offline }]), "another application's");
        Assert.False(list.Patch([new DeviceEvent(1, 7, at) { ActionRunId = 4, ChangedDevice = true }]), "an outcome says no status");

        Assert.True(list.Patch([new DeviceEvent(2, 7, at) { Status = DeviceStatus.Updating }]));
        Assert.Equal([DeviceStatus.Online, DeviceStatus.Updating], list.Rows.Select(r => r.Status));
        Assert.Equal(2, list.ListedTotal);
    }

    private static DeviceRow Row(int id, DeviceStatus status) => new(id, $"uuid-{id}", $"device-{id}", "raspberrypi4-64", status,
        FleetVersion.Parse("2.13.1"), FleetVersion.Parse("1.4.2"), null, null, "", false, new Dictionary<string, string?>());
}
