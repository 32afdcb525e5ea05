using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Components.Pages.Applications;

/// <summary>The device list's columns per tag: how their sort labels read, and which sort a label asks for.</summary>
public static class TagColumns
{
    private const string SortPrefix = "tag:";

    public static string SortLabel(string tagName) => SortPrefix + tagName;

    /// <summary>
    /// The sort a table's label asks for. A tag column that is no longer shown sorts by name again: a list
    /// ordered by a column nobody can see looks unordered.
    /// </summary>
    public static (DeviceSort Sort, string? TagName) SortOf(string? label, IReadOnlyCollection<string> shownTags)
    {
        if (label is not null && label.StartsWith(SortPrefix, StringComparison.Ordinal))
        {
            var tag = label[SortPrefix.Length..];
            return shownTags.Contains(tag) ? (DeviceSort.Tag, tag) : (DeviceSort.Name, null);
        }
        return (Enum.TryParse<DeviceSort>(label, out var column) && column != DeviceSort.Tag ? column : DeviceSort.Name, null);
    }
}
