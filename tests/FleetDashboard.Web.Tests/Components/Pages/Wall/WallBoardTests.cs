using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Components.Pages.Wall;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Tests.Components.Pages.Wall;

public sealed class WallBoardTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static WallBoard Board(params WallDevice[] devices) =>
        new(new WallScreen(1, 7, "kiosks", null, devices, [], Now));

    [Fact]
    public void A_status_change_is_counted_kept_in_place_and_told_in_the_feed()
    {
        var board = Board(new(1, "kiosk-1", DeviceStatus.Online), new(2, "kiosk-2", DeviceStatus.Online));

        var changed = board.Apply([2], [new WallDevice(2, "kiosk-2", DeviceStatus.Offline)], Now.AddSeconds(3));

        Assert.True(changed);
        Assert.Equal([1, 2], board.Cells().Select(d => d.Id));
        Assert.Equal(1, board.Counts[DeviceStatus.Online]);
        Assert.Equal(1, board.Counts[DeviceStatus.Offline]);
        var change = Assert.Single(board.Changes);
        Assert.Equal(("kiosk-2", "went offline", Now.AddSeconds(3)), (change.DeviceName, change.What, change.At));
    }

    [Fact]
    public void Nothing_new_changes_nothing()
    {
        var board = Board(new WallDevice(1, "kiosk-1", DeviceStatus.Online));
        var order = board.Order;

        Assert.False(board.Apply([1], [new WallDevice(1, "kiosk-1", DeviceStatus.Online)], Now));
        Assert.Same(order, board.Order);
        Assert.Equal([new WallDevice(1, "kiosk-1", DeviceStatus.Online)], board.Cells());
        Assert.Empty(board.Changes);
    }

    [Fact]
    public void A_status_change_keeps_the_order_and_a_rename_moves_the_device()
    {
        var board = Board(new(1, "kiosk-1", DeviceStatus.Online), new(2, "kiosk-2", DeviceStatus.Online));
        var order = board.Order;

        board.Apply([1], [new WallDevice(1, "kiosk-1", DeviceStatus.Updating)], Now);
        Assert.Same(order, board.Order);

        board.Apply([1], [new WallDevice(1, "kiosk-3", DeviceStatus.Updating)], Now);
        Assert.NotSame(order, board.Order);
        Assert.Equal([(2, "kiosk-2", DeviceStatus.Online), (1, "kiosk-3", DeviceStatus.Updating)],
            board.Cells().Select(d => (d.Id, d.Name, d.Status)));
        Assert.Equal(0, board.Order.PositionOf(2));
        Assert.Equal(-1, board.Order.PositionOf(7));
    }

    [Fact]
    public void Names_in_any_script_come_back_as_given()
    {
        string[] names = ["café-ü", "Ελληνικά-1", "キオスク-2", "", "kiosk-🙂"];
        var board = Board([.. names.Select((n, i) => new WallDevice(i + 1, n, DeviceStatus.Online))]);

        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), board.Cells().Select(d => d.Name));
        Assert.Equal(board.Cells().Select(d => d.Name), board.Order.Names());
    }

    [Fact]
    public void Devices_arrive_in_name_order_and_leave_the_wall()
    {
        var board = Board(new(1, "b", DeviceStatus.Online), new(2, "d", DeviceStatus.Updating));

        board.Apply([2, 3], [new WallDevice(3, "a", DeviceStatus.Online)], Now);

        Assert.Equal(["a", "b"], board.Cells().Select(d => d.Name));
        Assert.True(board.Shows(3));
        Assert.False(board.Shows(2));
        Assert.Equal(["a came online", "d left the application"], board.Changes.Select(c => $"{c.DeviceName} {c.What}").Order());
    }

    [Fact]
    public void The_feed_keeps_the_latest_changes_newest_first()
    {
        var board = Board(new WallDevice(1, "kiosk-1", DeviceStatus.Online));
        for (var i = 0; i < FleetQueries.WallChangeCount + 5; i++)
        {
            var status = i % 2 == 0 ? DeviceStatus.Offline : DeviceStatus.Online;
            board.Apply([1], [new WallDevice(1, "kiosk-1", status)], Now.AddSeconds(i));
        }

        Assert.Equal(FleetQueries.WallChangeCount, board.Changes.Count);
        Assert.Equal(Now.AddSeconds(FleetQueries.WallChangeCount + 4), board.Changes[0].At);
        Assert.True(board.Changes.Zip(board.Changes.Skip(1)).All(p => p.First.At > p.Second.At));
    }

    [Fact]
    public void A_fresh_load_takes_in_what_the_feed_did_not_tell()
    {
        var board = Board(new(1, "kiosk-1", DeviceStatus.Online), new(2, "kiosk-2", DeviceStatus.Online));

        var changed = board.Replace(new WallScreen(1, 7, "kiosks-renamed", null,
            [new WallDevice(1, "kiosk-1", DeviceStatus.Online), new WallDevice(2, "kiosk-2", DeviceStatus.Updating)], [], Now));

        Assert.True(changed);
        Assert.Equal("kiosks-renamed", board.ApplicationName);
        Assert.Equal("kiosk-2 started updating", $"{board.Changes[0].DeviceName} {board.Changes[0].What}");
    }
}
