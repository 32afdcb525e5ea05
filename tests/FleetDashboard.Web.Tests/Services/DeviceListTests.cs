using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>Sixty devices of every status, version and tag, shared by the read-only tests of the list.</summary>
public sealed class ListedFleet : IAsyncLifetime
{
    public FleetStore Store { get; } = new();
    public System.Security.Claims.ClaimsPrincipal Observer { get; private set; } = null!;
    public Application App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Store.InitializeAsync();
        var observer = await Store.UserAsync("observer");
        Observer = FleetStore.SignedIn(observer);
        App = await Store.ApplicationAsync(await Store.OrganizationAsync("Acme"), "kiosks", members: [(observer, ApplicationRole.Observer)]);
        var now = Store.Clock.Now;
        string[] hostOs = ["2.0.3", "2.9.0", "2.12.0", "2.12.7+rev1", "2.13.1", "2.14.0"];
        string[] agents = ["0.9.8", "1.0.4", "1.1.0", "1.10.2"];
        for (var n = 0; n < 60; n++)
        {
            var i = n;
            await Store.DeviceAsync(App, $"kiosk-{i:D2}", d =>
            {
                d.HostOsVersion = FleetVersion.Parse(hostOs[i % hostOs.Length]);
                d.AgentVersion = FleetVersion.Parse(agents[i % agents.Length]);
                d.ReleaseCommit = i % 5 == 0 ? null : $"rel{i % 3}";
                d.IpAddresses = $"10.0.{i % 4}.{i}";
                d.PublicUrlEnabled = i % 2 == 0;
                d.LastContactAt = i % 5 == 4 ? now.AddHours(-2) : now.AddSeconds(-i * 10);
                d.ConnectedAt = i % 7 == 0 ? now.AddHours(-1) : null;
                d.Progress = i % 11 == 0 ? DeviceProgress.ApplyingRelease : i % 13 == 0 ? DeviceProgress.UpdatingHostOs : DeviceProgress.Idle;
                if (i % 17 == 0) d.FirstConnectedAt = null;
                if (i % 19 == 0) d.DeactivatedAt = now.AddDays(-1);
                if (i % 23 == 0) d.Disconnected(d.LastContactAt!.Value.AddSeconds(1));
                d.SetTag("site", i % 3 == 0 ? "north" : "South-Harbour");
                if (i % 4 == 0) d.SetTag("pilot", null);
            });
        }
    }

    public Task DisposeAsync() => Store.DisposeAsync();
}

/// <summary>The device list filtered and sorted in SQLite means what the core means in memory.</summary>
public sealed class DeviceListTests(ListedFleet fleet) : IClassFixture<ListedFleet>
{

    public static TheoryData<DeviceColumn, FilterOperator, string, string?> Filters() => new()
    {
        { DeviceColumn.Status, FilterOperator.Is, "Online", null },
        { DeviceColumn.Status, FilterOperator.Is, "Offline", null },
        { DeviceColumn.Status, FilterOperator.Is, "Updating", null },
        { DeviceColumn.Status, FilterOperator.Is, "Configuring", null },
        { DeviceColumn.Status, FilterOperator.Is, "Post-provisioning", null },
        { DeviceColumn.Status, FilterOperator.Is, "Inactive", null },
        { DeviceColumn.Name, FilterOperator.Is, "KIOSK-07", null },
        { DeviceColumn.Name, FilterOperator.Contains, "SK-1", null },
        { DeviceColumn.Name, FilterOperator.Contains, "4", null },
        { DeviceColumn.Name, FilterOperator.Contains, "42", null },
        { DeviceColumn.Name, FilterOperator.Contains, "k-", null },
        { DeviceColumn.Name, FilterOperator.MatchesRegex, @"sk-[12]\d$", null },
        { DeviceColumn.Uuid, FilterOperator.Contains, "a", null },
        { DeviceColumn.DeviceType, FilterOperator.Contains, "PI4", null },
        { DeviceColumn.IpAddress, FilterOperator.Contains, ".1.", null },
        { DeviceColumn.IpAddress, FilterOperator.MatchesRegex, @"\.1[0-9]$", null },
        { DeviceColumn.Name, FilterOperator.MatchesRegex, "^kiosk-(0[1-5]|4.)$", null },
        { DeviceColumn.HostOs, FilterOperator.IsBefore, "2.12.0", null },
        { DeviceColumn.HostOs, FilterOperator.Is, "2.12.7+rev1", null },
        { DeviceColumn.Agent, FilterOperator.IsBefore, "1.1.0", null },
        { DeviceColumn.Agent, FilterOperator.IsBefore, "1.2.0", null },
        { DeviceColumn.Release, FilterOperator.Is, "", null },
        { DeviceColumn.Release, FilterOperator.Contains, "rel1", null },
        { DeviceColumn.IpAddress, FilterOperator.MatchesRegex, @"^10\.0\.2\.", null },
        { DeviceColumn.PublicUrl, FilterOperator.Is, "true", null },
        { DeviceColumn.LastSeen, FilterOperator.IsBefore, "2026-11-27T11:00:00Z", null },
        { DeviceColumn.Tag, FilterOperator.Is, "north", "site" },
        { DeviceColumn.Tag, FilterOperator.Contains, "harbour", "site" },
        { DeviceColumn.Tag, FilterOperator.Is, "", "pilot" },
        { DeviceColumn.Tag, FilterOperator.MatchesRegex, "^south-", "site" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Each_filter_lists_in_SQL_exactly_the_devices_the_core_selects(DeviceColumn column, FilterOperator op, string value, string? tag)
    {
        var filter = DeviceFilter.Create(column, op, value, tag);

        var page = await fleet.Store.Queries.DevicePageAsync(fleet.Observer, new DeviceListRequest(fleet.App.Id, [filter], Take: 500));

        var expected = await InMemoryAsync([filter]);
        Assert.Equal(expected.Count, page!.Total);
        Assert.Equal(expected.Order(), page.Rows.Select(r => r.Id).Order());
        Assert.NotEmpty(expected);
    }

    [Fact]
    public async Task Filters_are_ANDed_and_pages_hold_only_their_rows()
    {
        DeviceFilter[] filters =
        [
            DeviceFilter.Create(DeviceColumn.PublicUrl, FilterOperator.Is, "true"),
            DeviceFilter.Create(DeviceColumn.HostOs, FilterOperator.IsBefore, "2.13.1"),
        ];
        var expected = await InMemoryAsync(filters);

        var first = await fleet.Store.Queries.DevicePageAsync(fleet.Observer, new DeviceListRequest(fleet.App.Id, filters, Take: 5));
        var second = await fleet.Store.Queries.DevicePageAsync(fleet.Observer, new DeviceListRequest(fleet.App.Id, filters, Skip: 5, Take: 5));

        Assert.Equal(expected.Count, first!.Total);
        Assert.Equal(5, first.Rows.Count);
        Assert.Empty(first.Rows.Select(r => r.Id).Intersect(second!.Rows.Select(r => r.Id)));
        Assert.Subset(expected.ToHashSet(), first.Rows.Concat(second.Rows).Select(r => r.Id).ToHashSet());
    }

    [Fact]
    public async Task Versions_sort_as_numbers_and_statuses_in_their_order()
    {
        var byHostOs = await fleet.Store.Queries.DevicePageAsync(fleet.Observer, new DeviceListRequest(fleet.App.Id, [], DeviceSort.HostOs, Take: 500));
        var byStatus = await fleet.Store.Queries.DevicePageAsync(fleet.Observer, new DeviceListRequest(fleet.App.Id, [], DeviceSort.Status, Descending: true, Take: 500));

        Assert.Equal(byHostOs!.Rows.Select(r => r.HostOs).Order(), byHostOs.Rows.Select(r => r.HostOs));
        Assert.Equal(new FleetVersion(2, 0, 3), byHostOs.Rows[0].HostOs);
        Assert.Equal(byStatus!.Rows.Select(r => r.Status).OrderDescending(), byStatus.Rows.Select(r => r.Status));
    }

    [Fact]
    public async Task Status_counts_are_counted_in_SQL_as_the_core_derives_them()
    {
        await using var db = fleet.Store.Db();
        var expected = (await db.Devices.Where(d => d.ApplicationId == fleet.App.Id).ToListAsync())
            .GroupBy(d => d.StatusAt(fleet.Store.Clock.Now)).ToDictionary(g => g.Key, g => g.Count());

        var summary = await fleet.Store.Queries.ApplicationAsync(fleet.Observer, fleet.App.Id);
        var listed = (await fleet.Store.Queries.ApplicationsAsync(fleet.Observer)).SelectMany(o => o.Applications).Single();

        Assert.Equal(expected, summary!.DeviceCounts);
        Assert.Equal(expected, listed.DeviceCounts);
        Assert.Equal(6, expected.Count);
    }

    [Fact]
    public async Task Someone_who_may_not_see_the_application_gets_no_page()
    {
        var stranger = FleetStore.SignedIn(await fleet.Store.UserAsync("stranger"));

        Assert.Null(await fleet.Store.Queries.DevicePageAsync(stranger, new DeviceListRequest(fleet.App.Id, [])));
        Assert.Null(await fleet.Store.Queries.DevicePageAsync(fleet.Observer, new DeviceListRequest(999, [])));
    }

    [Theory]
    [InlineData("site", false)]
    [InlineData("site", true)]
    [InlineData("pilot", false)]
    [InlineData("pilot", true)]
    public async Task A_tag_sort_lists_the_tagged_by_value_ignoring_case_then_the_untagged_by_name_page_after_page(string tag, bool descending)
    {
        await using var db = fleet.Store.Db();
        var devices = await db.Devices.Where(d => d.ApplicationId == fleet.App.Id).ToListAsync();
        var tagged = devices.Where(d => d.Tags.Any(t => t.Name == tag)).Select(d => (Key: d.TagValue(tag)?.ToLowerInvariant(), d.Id));
        var byValue = descending
            ? tagged.OrderByDescending(x => x.Key, StringComparer.Ordinal).ThenByDescending(x => x.Id)
            : tagged.OrderBy(x => x.Key, StringComparer.Ordinal).ThenBy(x => x.Id);
        var expected = byValue.Select(x => x.Id)
            .Concat(devices.Where(d => d.TagValue(tag) is null && d.Tags.All(t => t.Name != tag))
                .OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Id).Select(d => d.Id))
            .ToList();

        // Pages of 7 cross from the tagged to the untagged inside a page, and start past the last tagged one.
        var listed = new List<int>();
        for (var skip = 0; skip < expected.Count; skip += 7)
        {
            var page = await fleet.Store.Queries.DevicePageAsync(fleet.Observer,
                new DeviceListRequest(fleet.App.Id, [], DeviceSort.Tag, descending, skip, 7, tag));
            Assert.Equal(expected.Count, page!.Total);
            listed.AddRange(page.Rows.Select(r => r.Id));
        }

        Assert.Equal(expected, listed);
    }

    private async Task<List<int>> InMemoryAsync(IReadOnlyList<DeviceFilter> filters)
    {
        await using var db = fleet.Store.Db();
        var devices = await db.Devices.Include(d => d.Tags).Where(d => d.ApplicationId == fleet.App.Id).ToListAsync();
        return DeviceSelection.SelectAll(devices, filters, fleet.Store.Clock.Now).Select(d => d.Id).ToList();
    }
}
