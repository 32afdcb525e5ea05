using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Selection;

public static class DeviceSelection
{
    /// <summary>
    /// The devices the check box at the top of the list selects: with any filter or saved view applied, the
    /// devices listed (every page of them, not just the one on screen); with none, every device of the
    /// application.
    /// </summary>
    public static IReadOnlyList<Device> SelectAll(IReadOnlyList<Device> applicationDevices,
        IReadOnlyList<DeviceFilter> appliedFilters, DateTimeOffset now) =>
        appliedFilters.Count == 0
            ? applicationDevices
            : applicationDevices.Where(d => Listed(d, appliedFilters, now)).ToList();

    /// <summary>Whether a device passes every filter (filters are ANDed).</summary>
    public static bool Listed(Device device, IReadOnlyList<DeviceFilter> filters, DateTimeOffset now)
    {
        var status = device.StatusAt(now);
        return filters.All(f => f.Matches(device, status));
    }

    /// <summary>How the history records what chose the devices: "Name contains kiosk AND tag site is north".</summary>
    public static string Describe(IReadOnlyList<DeviceFilter> filters) =>
        filters.Count == 0 ? "" : string.Join(" AND ", filters.Select(f => f.ToString()));
}
