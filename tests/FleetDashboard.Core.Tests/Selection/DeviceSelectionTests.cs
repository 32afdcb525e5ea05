using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Selection;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Selection;

/// <summary>SPEC §3: the check box at the top of the list; filters are ANDed.</summary>
public class DeviceSelectionTests
{
    /// <summary>
    /// kiosk-north: online, raspberrypi4-64, 2.12.7+rev1, agent 1.2.0, release a1b2c3, public URL, site=north, beta.
    /// kiosk-south: offline since 2025-05-01, raspberrypi3, 2.9.0, agent 1.0.9, release d4e5f6, site=south.
    /// Till-1: never connected, jetson-nano, 2.12.0, agent v1.1.0, no release, floor=2.
    /// lobby-screen: deactivated, seen 2025-03-01, generic-aarch64, 2.14.0, agent 1.1.0, release a1b2c3, site=North-East.
    /// </summary>
    private static readonly Device[] Devices =
    [
        Device(name: "kiosk-north", deviceType: "raspberrypi4-64", hostOs: "2.12.7+rev1", agent: "1.2.0").With(d =>
        {
            d.Uuid = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
            d.ReleaseCommit = "a1b2c3";
            d.IpAddresses = "10.0.0.5 192.168.1.20";
            d.PublicUrlEnabled = true;
            d.SetTag("site", "north");
            d.SetTag("beta", null);
        }),
        Device(name: "kiosk-south", deviceType: "raspberrypi3", hostOs: "2.9.0", agent: "1.0.9", online: false).With(d =>
        {
            d.Uuid = "deadbeef000000000000000000000001";
            d.ReleaseCommit = "d4e5f6";
            d.IpAddresses = "10.0.0.6";
            d.LastContactAt = new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);
            d.SetTag("site", "south");
        }),
        Device(name: "Till-1", deviceType: "jetson-nano", hostOs: "2.12.0", agent: "v1.1.0", online: false).With(d =>
        {
            d.Uuid = "deadbeef000000000000000000000002";
            d.FirstConnectedAt = null;
            d.LastContactAt = null;
            d.SetTag("floor", "2");
        }),
        Device(name: "lobby-screen", deviceType: "generic-aarch64", hostOs: "2.14.0", agent: "1.1.0", online: false).With(d =>
        {
            d.Uuid = "ffffffff000000000000000000000003";
            d.ReleaseCommit = "a1b2c3";
            d.LastContactAt = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
            d.DeactivatedAt = new DateTimeOffset(2025, 3, 2, 0, 0, 0, TimeSpan.Zero);
            d.SetTag("site", "North-East");
        }),
    ];

    private static string Selected(params DeviceFilter[] filters) =>
        string.Join(",", DeviceSelection.SelectAll(Devices, filters, Now).Select(d => d.Name));

    [Theory]
    // Text columns: is (whole value, any case), contains, matches regex (any case).
    [InlineData(DeviceColumn.Name, FilterOperator.Is, "KIOSK-NORTH", null, "kiosk-north")]
    [InlineData(DeviceColumn.Name, FilterOperator.Is, "kiosk", null, "")]
    [InlineData(DeviceColumn.Name, FilterOperator.Contains, "kiosk", null, "kiosk-north,kiosk-south")]
    [InlineData(DeviceColumn.Name, FilterOperator.MatchesRegex, @"^till-\d$", null, "Till-1")]
    [InlineData(DeviceColumn.Uuid, FilterOperator.Is, "deadbeef000000000000000000000001", null, "kiosk-south")]
    [InlineData(DeviceColumn.Uuid, FilterOperator.Contains, "DEADBEEF", null, "kiosk-south,Till-1")]
    [InlineData(DeviceColumn.Uuid, FilterOperator.MatchesRegex, "^f+0+3$", null, "lobby-screen")]
    [InlineData(DeviceColumn.DeviceType, FilterOperator.Is, "raspberrypi3", null, "kiosk-south")]
    [InlineData(DeviceColumn.DeviceType, FilterOperator.Contains, "raspberry", null, "kiosk-north,kiosk-south")]
    [InlineData(DeviceColumn.DeviceType, FilterOperator.MatchesRegex, "aarch64|nano", null, "Till-1,lobby-screen")]
    [InlineData(DeviceColumn.Release, FilterOperator.Is, "a1b2c3", null, "kiosk-north,lobby-screen")]
    [InlineData(DeviceColumn.Release, FilterOperator.Contains, "e5", null, "kiosk-south")]
    [InlineData(DeviceColumn.Release, FilterOperator.MatchesRegex, "^$", null, "Till-1")]
    [InlineData(DeviceColumn.IpAddress, FilterOperator.Is, "10.0.0.6", null, "kiosk-south")]
    [InlineData(DeviceColumn.IpAddress, FilterOperator.Contains, "192.168", null, "kiosk-north")]
    [InlineData(DeviceColumn.IpAddress, FilterOperator.MatchesRegex, @"^10\.0\.0\.[56]", null, "kiosk-north,kiosk-south")]
    // Versions: is, is before, compared as numbers.
    [InlineData(DeviceColumn.HostOs, FilterOperator.Is, "2.12.7+rev1", null, "kiosk-north")]
    [InlineData(DeviceColumn.HostOs, FilterOperator.Is, "2.12", null, "Till-1")]
    [InlineData(DeviceColumn.HostOs, FilterOperator.IsBefore, "2.12.0", null, "kiosk-south")]
    [InlineData(DeviceColumn.HostOs, FilterOperator.IsBefore, "2.12.7+rev1", null, "kiosk-south,Till-1")]
    [InlineData(DeviceColumn.Agent, FilterOperator.Is, "1.1.0", null, "Till-1,lobby-screen")]
    [InlineData(DeviceColumn.Agent, FilterOperator.IsBefore, "v1.1.0", null, "kiosk-south")]
    // Dates: is before; a device never seen was not seen before anything.
    [InlineData(DeviceColumn.LastSeen, FilterOperator.IsBefore, "2025-04-01", null, "lobby-screen")]
    [InlineData(DeviceColumn.LastSeen, FilterOperator.IsBefore, "2025-05-01T00:00:00Z", null, "lobby-screen")]
    [InlineData(DeviceColumn.LastSeen, FilterOperator.IsBefore, "2025-05-01T00:00:01Z", null, "kiosk-south,lobby-screen")]
    [InlineData(DeviceColumn.LastSeen, FilterOperator.IsBefore, "2025-06-03", null, "kiosk-north,kiosk-south,lobby-screen")]
    // Yes/no and the derived status.
    [InlineData(DeviceColumn.PublicUrl, FilterOperator.Is, "true", null, "kiosk-north")]
    [InlineData(DeviceColumn.PublicUrl, FilterOperator.Is, "False", null, "kiosk-south,Till-1,lobby-screen")]
    [InlineData(DeviceColumn.Status, FilterOperator.Is, "Online", null, "kiosk-north")]
    [InlineData(DeviceColumn.Status, FilterOperator.Is, "Offline", null, "kiosk-south")]
    [InlineData(DeviceColumn.Status, FilterOperator.Is, "Post-provisioning", null, "Till-1")]
    [InlineData(DeviceColumn.Status, FilterOperator.Is, "Inactive", null, "lobby-screen")]
    [InlineData(DeviceColumn.Status, FilterOperator.Is, "Updating", null, "")]
    // Tags: without a value, carrying the tag; with one, its value as text.
    [InlineData(DeviceColumn.Tag, FilterOperator.Is, "", "site", "kiosk-north,kiosk-south,lobby-screen")]
    [InlineData(DeviceColumn.Tag, FilterOperator.Is, "", "beta", "kiosk-north")]
    [InlineData(DeviceColumn.Tag, FilterOperator.Is, "North", "site", "kiosk-north")]
    [InlineData(DeviceColumn.Tag, FilterOperator.Contains, "north", "site", "kiosk-north,lobby-screen")]
    [InlineData(DeviceColumn.Tag, FilterOperator.MatchesRegex, "^south$", "site", "kiosk-south")]
    [InlineData(DeviceColumn.Tag, FilterOperator.Is, "2", "floor", "Till-1")]
    [InlineData(DeviceColumn.Tag, FilterOperator.Is, "yes", "beta", "")]
    [InlineData(DeviceColumn.Tag, FilterOperator.Is, "", "rack", "")]
    public void Filter_selects_exactly_the_matching_devices(DeviceColumn column, FilterOperator op, string value, string? tagName, string expected)
    {
        Assert.Equal(expected, Selected(DeviceFilter.Create(column, op, value, tagName)));
    }

    [Fact]
    public void Status_filter_uses_the_status_derived_now()
    {
        var device = OfflineDevice(name: "flaky").With(d => d.LastContactAt = Now.AddMinutes(-10));
        var online = DeviceFilter.Create(DeviceColumn.Status, FilterOperator.Is, "Online");

        Assert.Single(DeviceSelection.SelectAll([device], [online], Now));
        Assert.Empty(DeviceSelection.SelectAll([device], [online], Now.AddMinutes(10)));
    }

    [Fact]
    public void Filters_are_ANDed()
    {
        var kiosk = DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Contains, "kiosk");
        var offline = DeviceFilter.Create(DeviceColumn.Status, FilterOperator.Is, "Offline");
        var site = DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "", "site");
        var release = DeviceFilter.Create(DeviceColumn.Release, FilterOperator.Is, "a1b2c3");

        Assert.Equal("kiosk-south", Selected(kiosk, offline));
        Assert.Equal("kiosk-north,lobby-screen", Selected(site, release));
        Assert.Equal("kiosk-north", Selected(site, release, kiosk));
        Assert.Equal("", Selected(kiosk, offline, release));
    }

    [Fact]
    public void Without_filters_every_device_of_the_application_is_selected_not_just_a_page()
    {
        var devices = Enumerable.Range(0, 250).Select(i => i % 3 == 0 ? OfflineDevice() : Device()).ToArray();

        var selected = DeviceSelection.SelectAll(devices, [], Now);

        Assert.Equal(devices, selected);
    }

    [Fact]
    public void With_filters_every_listed_device_is_selected_across_all_pages()
    {
        var devices = Enumerable.Range(0, 250)
            .Select(i => Device(name: i % 7 == 0 ? $"kiosk-{i}" : $"till-{i}"))
            .ToArray();
        var kiosk = DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Contains, "kiosk");

        var selected = DeviceSelection.SelectAll(devices, [kiosk], Now);

        Assert.Equal(devices.Where(d => d.Name.StartsWith("kiosk", StringComparison.Ordinal)), selected);
        Assert.Equal(36, selected.Count);
    }

    [Fact]
    public void Runaway_regular_expression_does_not_crash_the_selection()
    {
        // An operator's pattern with nested quantifiers backtracks for ever on a name that almost matches.
        var device = Device(name: new string('a', 40) + "!");
        var runaway = DeviceFilter.Create(DeviceColumn.Name, FilterOperator.MatchesRegex, "^(a+)+$");

        var error = Record.Exception(() => DeviceSelection.SelectAll([device], [runaway], Now));

        Assert.True(error is null or FleetDomainException, $"{error?.GetType().Name}: {error?.Message}");
    }

    [Fact]
    public void History_describes_the_filters_that_chose_the_devices()
    {
        var filters = new[]
        {
            DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Contains, "kiosk"),
            DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "north", "site"),
        };

        Assert.Equal("name contains kiosk AND tag site is north", DeviceSelection.Describe(filters));
        Assert.Equal("", DeviceSelection.Describe([]));
    }
}
