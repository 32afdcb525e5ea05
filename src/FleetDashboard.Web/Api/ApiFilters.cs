using FleetDashboard.Core;
using FleetDashboard.Core.Selection;

namespace FleetDashboard.Web.Api;

/// <summary>
/// One device-list filter as the API writes it: the same columns and operators as the page's filter chips. In a query
/// string it is one <c>filter</c> value, <c>column:operator:value</c> (<c>status:is:online</c>,
/// <c>name:contains:kiosk</c>, <c>tag.floor:is:3</c>, <c>hostOs:isBefore:2.12.0</c>).
/// </summary>
public sealed record ApiFilter(DeviceColumn Column, FilterOperator Operator, string? Value = null, string? Tag = null)
{
    /// <summary>The core's filter, or a <see cref="FleetDomainException"/> saying what is wrong with it.</summary>
    public DeviceFilter ToFilter() => DeviceFilter.Create(Column, Operator, Value, Tag);

    public static DeviceFilter Parse(string text)
    {
        var parts = text.Split(':', 3);
        if (parts.Length < 2)
            throw new FleetDomainException($"\"{text}\" is not a filter: write column:operator:value, such as status:is:online or tag.floor:is:3.");
        var (column, tag) = parts[0].StartsWith("tag.", StringComparison.OrdinalIgnoreCase)
            ? (DeviceColumn.Tag, parts[0][4..])
            : (Named<DeviceColumn>(parts[0], "column"), null);
        return new ApiFilter(column, Named<FilterOperator>(parts[1], "operator"), parts.Length > 2 ? parts[2] : null, tag).ToFilter();
    }

    /// <summary>The filters of a request; a bad one is a <see cref="FleetDomainException"/>.</summary>
    public static IReadOnlyList<DeviceFilter> All(IEnumerable<ApiFilter>? filters) => filters?.Select(f => f.ToFilter()).ToList() ?? [];

    private static T Named<T>(string text, string what) where T : struct, Enum =>
        Enum.TryParse<T>(text.Replace("-", ""), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new FleetDomainException($"\"{text}\" is not a filter {what}: one of {string.Join(", ", Enum.GetNames<T>())}.");
}
