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

    [Fact]
    public void The_grid_colours_each_device_by_status_and_names_it_on_hover()
    {
        var grid = Render<WallDeviceGrid>(ps => ps.Add(p => p.Devices,
            [new WallDevice(4, "kiosk-04", DeviceStatus.Offline), new WallDevice(9, "kiosk-09", DeviceStatus.PostProvisioning)]));

        var cells = grid.FindAll(".wall-cell");
        Assert.Equal(["kiosk-04", "kiosk-09"], cells.Select(c => c.GetAttribute("title")));
        Assert.Contains("fleet-status-offline", cells[0].ClassName);
        Assert.Contains("fleet-status-post-provisioning", cells[1].ClassName);
        // A small fleet has its names written in; a large one has tiny cells with the name on hover only.
        Assert.Equal("kiosk-04", cells[0].TextContent);
        Assert.Empty(grid.FindAll(Anything));

        grid.Render(ps => ps.Add(p => p.Devices, Fleet(500)));
        Assert.Equal(500, grid.FindAll(".wall-cell").Count);
        Assert.Equal("", grid.FindAll(".wall-cell")[0].TextContent);
        Assert.Contains("wall-grid-medium", grid.Find("#wall-grid").ClassName);
    }

    [Fact]
    public void At_ten_thousand_devices_a_change_renders_only_its_own_block()
    {
        var devices = Fleet(10_000);
        var watch = Stopwatch.StartNew();
        var grid = Render<WallDeviceGrid>(ps => ps.Add(p => p.Devices, devices));
        var first = watch.Elapsed;
        Assert.Equal(10_000, grid.FindAll(".wall-cell").Count);
        var blocks = grid.FindComponents<WallGridBlock>();
        Assert.Equal((10_000 + WallDeviceGrid.BlockSize - 1) / WallDeviceGrid.BlockSize, blocks.Count);
        var rendersBefore = blocks.Select(b => b.Instance.RenderCount).ToList();

        var changed = devices.Select(d => d.Id == 5_000 ? d with { Status = DeviceStatus.Offline } : d).ToList();
        watch.Restart();
        grid.Render(ps => ps.Add(p => p.Devices, changed));
        var update = watch.Elapsed;

        var rendered = blocks.Where((b, i) => b.Instance.RenderCount != rendersBefore[i]).ToList();
        var block = Assert.Single(rendered);
        Assert.Contains(block.Instance.Devices, d => d.Id == 5_000);
        Assert.Contains("fleet-status-offline", grid.Find(".wall-cell[data-device='5000']").ClassName);
        // Printed, not asserted: on a shared two-core machine a time says more about the neighbours than the code.
        // The browser's figures are in WallScreenTests (end to end).
        output.WriteLine($"10,000 devices: first render {first.TotalMilliseconds:0} ms, one change {update.TotalMilliseconds:0} ms (bUnit, this machine).");
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
