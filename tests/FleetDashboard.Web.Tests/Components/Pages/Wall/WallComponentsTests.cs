using System.Diagnostics;
using Bunit;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Components.Pages.Wall;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FleetDashboard.Web.Tests.Components.Pages.Wall;

/// <summary>The wall's pieces from given data: tiles, grid, feed. None of them offers anything to click.</summary>
public sealed class WallComponentsTests(ITestOutputHelper output) : ComponentTest
{
    private const string Anything = "button, a, input, select, textarea, [role=button]";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    protected override Task ArrangeAsync()
    {
        Services.AddSingleton<TimeProvider>(new FleetDashboard.Web.Tests.Services.ManualClock(Now));
        return Task.CompletedTask;
    }

    private static List<WallDevice> Fleet(int count, Func<int, DeviceStatus>? status = null) =>
        Enumerable.Range(1, count).Select(i => new WallDevice(i, $"kiosk-{i:D5}", status?.Invoke(i) ?? DeviceStatus.Online)).ToList();

    [Fact]
    public void Tiles_show_every_status_with_its_count_and_dim_the_empty_ones()
    {
        var tiles = Render<WallStatusTiles>(ps => ps.Add(p => p.Counts,
            new Dictionary<DeviceStatus, int> { [DeviceStatus.Online] = 1234, [DeviceStatus.Offline] = 3 }));

        Assert.Equal(["Online", "Updating", "Configuring", "Offline", "Post-provisioning", "Inactive"],
            tiles.FindAll(".wall-tile-label").Select(l => l.TextContent));
        Assert.Equal("1,234", tiles.Find("#wall-tile-online .wall-tile-count").TextContent);
        Assert.Equal("3", tiles.Find("#wall-tile-offline").GetAttribute("data-count"));
        Assert.Contains("wall-tile-none", tiles.Find("#wall-tile-updating").ClassName);
        Assert.DoesNotContain("wall-tile-none", tiles.Find("#wall-tile-offline").ClassName);
        Assert.Empty(tiles.FindAll(Anything));
    }

    private static WallBoard Board(IReadOnlyList<WallDevice> devices) => new(new WallScreen(1, 7, "kiosks", null, devices, [], Now));

    [Fact]
    public void The_grid_colours_each_device_by_status_and_names_it_on_hover()
    {
        var script = JSInterop.SetupModule(WallDeviceGrid.Script);
        var grid = Render<WallDeviceGrid>(ps => ps.Add(p => p.Board,
            Board([new WallDevice(9, "kiosk-09", DeviceStatus.PostProvisioning), new WallDevice(4, "kiosk-04", DeviceStatus.Offline)])));

        var cells = ShownGrid.Cells(script);
        Assert.Equal(["kiosk-04", "kiosk-09"], cells.Select(c => c.Title));
        Assert.Equal([4, 9], cells.Select(c => c.Id));
        Assert.Contains("fleet-status-offline", cells[0].Class);
        Assert.Contains("fleet-status-post-provisioning", cells[1].Class);
        // A small fleet has its names written in; a large one has tiny cells with the name on hover only.
        Assert.Equal("kiosk-04", cells[0].Text);
        Assert.Empty(grid.FindAll(Anything));

        grid.Render(ps => ps.Add(p => p.Board, Board(Fleet(500))));
        Assert.Equal(500, ShownGrid.Cells(script).Count);
        Assert.Equal("", ShownGrid.Cells(script)[0].Text);
        Assert.Contains("wall-grid-medium", grid.Find("#wall-grid").ClassName);
    }

    [Fact]
    public void At_ten_thousand_devices_a_change_sends_only_its_own_cell()
    {
        var script = JSInterop.SetupModule(WallDeviceGrid.Script);
        var board = Board(Fleet(10_000));
        var watch = Stopwatch.StartNew();
        var grid = Render<WallDeviceGrid>(ps => ps.Add(p => p.Board, board));
        var first = watch.Elapsed;
        Assert.Equal(10_000, ShownGrid.Cells(script).Count);
        // The server keeps no element per cell: the grid is one element, its cells the browser's.
        Assert.Empty(grid.FindAll("#wall-grid *"));

        board.Apply([5_000], [new WallDevice(5_000, "kiosk-05000", DeviceStatus.Offline)], Now);
        watch.Restart();
        grid.Render();
        var update = watch.Elapsed;

        Assert.Equal(1, ShownGrid.Calls(script, "draw"));
        var turn = Assert.Single(script.Invocations, c => c.Identifier == "turn");
        Assert.Equal([board.Order.PositionOf(5_000)], (IReadOnlyList<int>)turn.Arguments[1]!);
        Assert.Contains("fleet-status-offline", ShownGrid.Cell(script, 5_000).Class);
        Assert.Equal(9_999, ShownGrid.Cells(script).Count(c => c.Class.Contains("fleet-status-online")));
        // Printed, not asserted: on a shared two-core machine a time says more about the neighbours than the code.
        // The browser's figures are in WallScreenTests (end to end).
        output.WriteLine($"10,000 devices: first render {first.TotalMilliseconds:0} ms, one change {update.TotalMilliseconds:0} ms (bUnit, this machine).");
    }

    [Fact]
    public void A_device_arriving_redraws_the_grid_in_name_order()
    {
        var script = JSInterop.SetupModule(WallDeviceGrid.Script);
        var board = Board([new WallDevice(1, "b", DeviceStatus.Online), new WallDevice(2, "d", DeviceStatus.Online)]);
        var grid = Render<WallDeviceGrid>(ps => ps.Add(p => p.Board, board));

        board.Apply([3], [new WallDevice(3, "c", DeviceStatus.Updating)], Now);
        grid.Render();

        Assert.Equal(2, ShownGrid.Calls(script, "draw"));
        Assert.Equal(["b", "c", "d"], ShownGrid.Cells(script).Select(c => c.Title));
        Assert.Contains("fleet-status-updating", ShownGrid.Cell(script, 3).Class);
    }

    [Fact]
    public void The_feed_says_what_changed_newest_first_and_how_long_ago()
    {
        var feed = Render<WallChangeFeed>(ps => ps.Add(p => p.Changes,
        [
            new WallChange(12, "kiosk-12", DeviceStatus.Offline, "went offline", Now.AddSeconds(-3)),
            new WallChange(4, "kiosk-04", DeviceStatus.Online, "came online", Now.AddMinutes(-2)),
        ]));

        Assert.Equal(["kiosk-12 went offline 3 s ago", "kiosk-04 came online 2 min ago"],
            feed.FindAll(".wall-change").Select(c => string.Join(" ", c.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))));
        Assert.Contains("fleet-status-offline", feed.Find(".wall-change").ClassName);
        Assert.Empty(feed.FindAll(Anything));
    }
}
