using System.Data.Common;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>
/// How SQLite runs the device list's count and page (EXPLAIN QUERY PLAN of the SQL EF sends): through the index that
/// holds what they filter and sort on. Which index SQLite takes is decided without statistics (the app never runs
/// ANALYZE), so a new index or a new shape of the SQL can quietly turn a seek into a read of every device; at
/// 100,000 devices that is the difference between milliseconds and a third of a second (benchmark B6).
/// </summary>
// SQLite by nature: reads SQLite's EXPLAIN QUERY PLAN.
[Trait("Store", "SqliteOnly")]
public sealed class DeviceListPlanTests(ListedFleet fleet) : IClassFixture<ListedFleet>
{
    [Theory]
    [InlineData("Online")]
    [InlineData("Offline")]
    [InlineData("Updating")]
    [InlineData("Inactive")]
    public async Task A_status_filter_is_counted_by_seeking_the_status_index(string status)
    {
        var (count, _) = await PlansAsync([DeviceFilter.Create(DeviceColumn.Status, FilterOperator.Is, status)], DeviceSort.Name);

        Assert.Contains("INDEX IX_Devices_ApplicationId_Status (ApplicationId=? AND DeactivatedAt", count);
    }

    [Fact]
    public async Task A_status_filtered_list_by_name_walks_the_name_index_in_order()
    {
        var (_, page) = await PlansAsync([DeviceFilter.Create(DeviceColumn.Status, FilterOperator.Is, "Online")], DeviceSort.Name);

        Assert.Contains("SEARCH d USING INDEX IX_Devices_ApplicationId_Name (ApplicationId=?)", page);
        Assert.DoesNotContain("USE TEMP B-TREE FOR ORDER BY", page.Split("SCAN")[0]); // the inner page: no sort of all rows
    }

    [Theory]
    [InlineData(DeviceColumn.Name, FilterOperator.Contains, "4")]
    [InlineData(DeviceColumn.Name, FilterOperator.Contains, "sk-1")]
    [InlineData(DeviceColumn.IpAddress, FilterOperator.MatchesRegex, @"^10\.0\.2\.")]
    public async Task A_substring_or_a_regex_literal_is_read_from_the_search_index_once_and_each_device_found_is_sought(
        DeviceColumn column, FilterOperator op, string value)
    {
        var (count, page) = await PlansAsync([DeviceFilter.Create(column, op, value)], DeviceSort.Status);

        foreach (var plan in new[] { count, page })
        {
            // Once, up front (a co-routine or a materialized list the devices are checked against), and never with a
            // device's id handed in ("INDEX 0:=M"): that plan asks the index again for every device, seconds at 100,000.
            Assert.Matches(@"(CO-ROUTINE|MATERIALIZE) \w+ / SCAN DeviceSearch VIRTUAL TABLE INDEX 0:M", plan);
            Assert.DoesNotContain("INDEX 0:=", plan);
            // Then each device found is sought by its id, not every device of the application read to be checked.
            Assert.Contains("USING INTEGER PRIMARY KEY (rowid=?)", plan);
            Assert.DoesNotContain("IX_Devices_ApplicationId", plan);
        }
    }

    [Fact]
    public async Task A_host_OS_filter_and_sort_seek_the_host_OS_index()
    {
        var (count, page) = await PlansAsync([DeviceFilter.Create(DeviceColumn.HostOs, FilterOperator.IsBefore, "2.13.0")], DeviceSort.HostOs);

        Assert.Contains("COVERING INDEX IX_Devices_ApplicationId_HostOsSortKey (ApplicationId=? AND HostOsSortKey<?)", count);
        Assert.Contains("USING COVERING INDEX IX_Devices_ApplicationId_HostOsSortKey (ApplicationId=? AND HostOsSortKey<?)", page); // ids only: covered
    }

    [Fact]
    public async Task A_tag_filter_starts_from_the_tag_index_and_seeks_each_device()
    {
        var (count, page) = await PlansAsync([DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "North", "site")], DeviceSort.LastSeen);

        foreach (var plan in new[] { count, page })
        {
            var tags = plan.IndexOf("USING INDEX IX_DeviceTags_Application_Name_Value (ApplicationId=? AND Name=? AND <expr>=?)", StringComparison.Ordinal);
            var devices = plan.IndexOf("USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal);
            Assert.True(tags >= 0 && devices > tags, plan);
        }
    }

    [Fact]
    public async Task A_tag_sort_walks_the_tag_index_in_order_and_sorts_nothing()
    {
        var (_, page) = await PlansAsync([], DeviceSort.Tag, tag: "site");

        var inner = page.Split("SCAN s")[0]; // the page, before its 50 rows' tags are read
        Assert.Contains("COVERING INDEX IX_DeviceTags_Application_Name_Value (ApplicationId=? AND Name=?)", inner);
        Assert.DoesNotContain("TEMP B-TREE", inner);
    }

    /// <summary>The plans of the count and of the page, each as one line, for the queries DevicePageAsync sends.</summary>
    private async Task<(string Count, string Page)> PlansAsync(DeviceFilter[] filters, DeviceSort sort, string? tag = null)
    {
        var sent = new SentCommands();
        var options = new DbContextOptionsBuilder<FleetDbContext>()
            .UseFleetSqlite(new SqliteConnectionStringBuilder { DataSource = fleet.Store.DatabasePath }.ToString())
            .AddInterceptors(sent).Options;
        await using var db = new FleetDbContext(options);
        var now = fleet.Store.Clock.Now;
        var listed = db.Listed(fleet.App.Id, filters, now);
        await listed.CountAsync();
        if (tag is null) await listed.Sorted(sort, false, now).Skip(0).Take(50).Select(d => d.Id).ToListAsync();
        else await listed.PageByTagAsync(db, fleet.App.Id, tag, descending: false, skip: 0, take: 50, default);

        await db.Database.OpenConnectionAsync();
        var plans = new List<string>();
        foreach (var command in sent.Commands)
        {
            await using var explain = db.Database.GetDbConnection().CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
            foreach (var (name, value) in command.Parameters) explain.Parameters.Add(new SqliteParameter(name, value ?? DBNull.Value));
            var steps = new List<string>();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync()) steps.Add(reader.GetString(3));
            plans.Add(string.Join(" / ", steps));
        }
        Assert.Equal(2, plans.Count);
        return (plans[0], plans[1]);
    }

    private sealed class SentCommands : DbCommandInterceptor
    {
        public List<(string Sql, List<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList()));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
