using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Selection;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Selection;

/// <summary>SPEC §1 Filter: a column (or a tag), an operator fitting its type, a value.</summary>
public class DeviceFilterTests
{
    /// <summary>The operators that fit each column's type: text, version, date, status, yes/no.</summary>
    private static readonly Dictionary<DeviceColumn, FilterOperator[]> Fitting = new()
    {
        [DeviceColumn.Name] = [FilterOperator.Is, FilterOperator.Contains, FilterOperator.MatchesRegex],
        [DeviceColumn.Uuid] = [FilterOperator.Is, FilterOperator.Contains, FilterOperator.MatchesRegex],
        [DeviceColumn.DeviceType] = [FilterOperator.Is, FilterOperator.Contains, FilterOperator.MatchesRegex],
        [DeviceColumn.Release] = [FilterOperator.Is, FilterOperator.Contains, FilterOperator.MatchesRegex],
        [DeviceColumn.IpAddress] = [FilterOperator.Is, FilterOperator.Contains, FilterOperator.MatchesRegex],
        [DeviceColumn.Tag] = [FilterOperator.Is, FilterOperator.Contains, FilterOperator.MatchesRegex],
        [DeviceColumn.HostOs] = [FilterOperator.Is, FilterOperator.IsBefore],
        [DeviceColumn.Agent] = [FilterOperator.Is, FilterOperator.IsBefore],
        [DeviceColumn.LastSeen] = [FilterOperator.IsBefore],
        [DeviceColumn.Status] = [FilterOperator.Is],
        [DeviceColumn.PublicUrl] = [FilterOperator.Is],
    };

    private static string UsableValue(DeviceColumn column) => column switch
    {
        DeviceColumn.HostOs or DeviceColumn.Agent => "2.12.0",
        DeviceColumn.LastSeen => "2025-05-01",
        DeviceColumn.Status => "Online",
        DeviceColumn.PublicUrl => "true",
        _ => "kiosk",
    };

    public static TheoryData<DeviceColumn, FilterOperator> EveryColumnAndOperator()
    {
        var data = new TheoryData<DeviceColumn, FilterOperator>();
        foreach (var column in Enum.GetValues<DeviceColumn>())
        foreach (var op in Enum.GetValues<FilterOperator>())
            data.Add(column, op);
        return data;
    }

    [Fact]
    public void Every_column_has_its_operators_in_the_table()
    {
        Assert.Equal(Enum.GetValues<DeviceColumn>().Order(), Fitting.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(EveryColumnAndOperator))]
    public void Only_an_operator_fitting_the_column_is_accepted(DeviceColumn column, FilterOperator op)
    {
        var fits = Fitting[column].Contains(op);

        var create = () => DeviceFilter.Create(column, op, UsableValue(column), column == DeviceColumn.Tag ? "site" : null);

        if (fits)
        {
            Assert.Equal(op, create().Operator);
            Assert.Contains(op, DeviceFilter.OperatorsFor(column));
        }
        else
        {
            var error = Assert.Throws<FleetDomainException>(create);
            Assert.Equal($"\"{DeviceFilter.Label(op)}\" does not fit the {DeviceFilter.Label(column)} column.", error.Message);
            Assert.DoesNotContain(op, DeviceFilter.OperatorsFor(column));
        }
    }

    [Theory]
    [InlineData("(")]
    [InlineData("[a-")]
    [InlineData("kiosk)")]
    public void Bad_regular_expression_is_refused(string pattern)
    {
        var error = Assert.Throws<FleetDomainException>(() => DeviceFilter.Create(DeviceColumn.Name, FilterOperator.MatchesRegex, pattern));

        Assert.StartsWith($"\"{pattern}\" is not a regular expression", error.Message);
    }

    [Theory]
    [InlineData(DeviceColumn.HostOs, FilterOperator.Is, "2.x.0")]
    [InlineData(DeviceColumn.HostOs, FilterOperator.IsBefore, "latest")]
    [InlineData(DeviceColumn.Agent, FilterOperator.Is, "1")]
    [InlineData(DeviceColumn.Agent, FilterOperator.IsBefore, "")]
    public void Bad_version_is_refused(DeviceColumn column, FilterOperator op, string value)
    {
        var error = Assert.Throws<FleetDomainException>(() => DeviceFilter.Create(column, op, value));

        Assert.StartsWith($"\"{value}\" is not a version", error.Message);
    }

    [Theory]
    [InlineData("next tuesday")]
    [InlineData("2025-13-01")]
    [InlineData("")]
    public void Bad_date_is_refused(string value)
    {
        var error = Assert.Throws<FleetDomainException>(() => DeviceFilter.Create(DeviceColumn.LastSeen, FilterOperator.IsBefore, value));

        Assert.Equal($"\"{value}\" is not a date.", error.Message);
    }

    [Theory]
    [InlineData("Asleep")]
    [InlineData("")]
    public void Bad_status_is_refused(string value)
    {
        var error = Assert.Throws<FleetDomainException>(() => DeviceFilter.Create(DeviceColumn.Status, FilterOperator.Is, value));

        Assert.Equal($"\"{value}\" is not a device status.", error.Message);
    }

    [Fact]
    public void Public_url_filter_is_true_or_false()
    {
        var error = Assert.Throws<FleetDomainException>(() => DeviceFilter.Create(DeviceColumn.PublicUrl, FilterOperator.Is, "yes"));

        Assert.Equal("The public URL filter is true or false.", error.Message);
    }

    [Theory]
    [InlineData(null, "A tag name cannot be empty.")]
    [InlineData("", "A tag name cannot be empty.")]
    [InlineData("main site", "A tag name cannot hold spaces: \"main site\".")]
    [InlineData("io.fleet.managed", "Tag names starting with \"io.fleet\" are reserved.")]
    public void Bad_tag_name_is_refused(string? tagName, string message)
    {
        var error = Assert.Throws<FleetDomainException>(() => DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "north", tagName));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("Post-provisioning", DeviceStatus.PostProvisioning)]
    [InlineData("postprovisioning", DeviceStatus.PostProvisioning)]
    [InlineData("ONLINE", DeviceStatus.Online)]
    [InlineData("inactive", DeviceStatus.Inactive)]
    public void Status_is_named_by_its_label_or_its_name_in_any_case(string value, DeviceStatus status)
    {
        var filter = DeviceFilter.Create(DeviceColumn.Status, FilterOperator.Is, value);

        Assert.True(filter.Matches(Device(), status));
        Assert.False(filter.Matches(Device(), status == DeviceStatus.Offline ? DeviceStatus.Online : DeviceStatus.Offline));
    }

    [Fact]
    public void Filter_reads_as_its_column_operator_and_value()
    {
        Assert.Equal("name contains kiosk", DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Contains, "kiosk").ToString());
        Assert.Equal("tag site is north", DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "north", "site").ToString());
        Assert.Equal("has tag beta", DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, null, "beta").ToString());
    }

    [Fact]
    public void Host_OS_filter_reads_as_its_documentation_says()
    {
        // DeviceFilter.ToString's summary: "host OS is before 2.12.0", as chips and the history show it.
        Assert.Equal("host OS is before 2.12.0", DeviceFilter.Create(DeviceColumn.HostOs, FilterOperator.IsBefore, "2.12.0").ToString());
    }

    [Fact]
    public void Tag_name_is_kept_only_for_tag_filters()
    {
        Assert.Null(DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Is, "x", "site").TagName);
        Assert.Equal("site", DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "x", "site").TagName);
    }
}
