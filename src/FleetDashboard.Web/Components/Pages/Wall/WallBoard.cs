using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Components.Pages.Wall;

/// <summary>
/// What a wall screen shows, kept up to date from what the store says of the devices the feed named: the devices
/// in grid order (by name), their counts per status, and the latest changes, newest first. Used on the renderer's
/// thread only, except <see cref="Shows"/>, which the feed asks from any thread.
/// </summary>
public sealed class WallBoard
{
    private readonly Dictionary<int, WallDevice> _byId;
    private volatile HashSet<int> _shown;
    private readonly List<WallChange> _changes;

    public WallBoard(WallScreen screen)
    {
        (ApplicationId, ApplicationName, ViewName) = (screen.ApplicationId, screen.ApplicationName, screen.ViewName);
        _byId = screen.Devices.ToDictionary(d => d.Id);
        _shown = [.. _byId.Keys];
        Devices = Ordered(_byId.Values);
        Counts = Count(Devices);
        _changes = [.. screen.LatestChanges.Take(FleetQueries.WallChangeCount)];
    }

    public int ApplicationId { get; }
    public string ApplicationName { get; private set; }
    public string? ViewName { get; private set; }

    /// <summary>The devices in grid order; a new list whenever anything in it changed.</summary>
    public IReadOnlyList<WallDevice> Devices { get; private set; }

    public IReadOnlyDictionary<DeviceStatus, int> Counts { get; private set; }

    /// <summary>The latest changes, newest first, at most <see cref="FleetQueries.WallChangeCount"/>.</summary>
    public IReadOnlyList<WallChange> Changes => _changes;

    /// <summary>Whether the wall shows this device now (the feed also reports devices leaving the application).</summary>
    public bool Shows(int deviceId) => _shown.Contains(deviceId);

    /// <summary>
    /// Takes in what the store says now of the devices <paramref name="asked"/> about: those in
    /// <paramref name="current"/> are on the wall as given, the others are not on it any more. True when anything shown changed.
    /// </summary>
    public bool Apply(IEnumerable<int> asked, IReadOnlyList<WallDevice> current, DateTimeOffset at)
    {
        var now = current.ToDictionary(d => d.Id);
        var changed = false;
        var reorder = false;
        foreach (var id in asked.Distinct())
        {
            var before = _byId.GetValueOrDefault(id);
            var after = now.GetValueOrDefault(id);
            if (before == after) continue;
            changed = true;
            if (after is null)
            {
                _byId.Remove(id);
                reorder = true;
                Record(new WallChange(id, before!.Name, before.Status, ViewName is null ? "left the application" : "left the view", at));
                continue;
            }
            _byId[id] = after;
            reorder |= before is null || before.Name != after.Name;
            if (before?.Status != after.Status)
                Record(new WallChange(id, after.Name, after.Status, FleetQueries.WallChangeText(after.Status, before?.Status), at));
        }
        if (!changed) return false;

        // A status change keeps every cell where it was; only a device arriving, leaving or renamed moves others.
        Devices = reorder ? Ordered(_byId.Values) : Devices.Select(d => _byId[d.Id]).ToList();
        if (reorder) _shown = [.. _byId.Keys];
        Counts = Count(Devices);
        return true;
    }

    /// <summary>A fresh full load: what differs from the board is taken in as changes. True when anything shown changed.</summary>
    public bool Replace(WallScreen screen)
    {
        var renamed = screen.ApplicationName != ApplicationName || screen.ViewName != ViewName;
        (ApplicationName, ViewName) = (screen.ApplicationName, screen.ViewName);
        var changed = Apply(_byId.Keys.Concat(screen.Devices.Select(d => d.Id)).ToList(), screen.Devices, screen.At);
        return changed || renamed;
    }

    private void Record(WallChange change)
    {
        _changes.Insert(0, change);
        if (_changes.Count > FleetQueries.WallChangeCount) _changes.RemoveRange(FleetQueries.WallChangeCount, _changes.Count - FleetQueries.WallChangeCount);
    }

    private static List<WallDevice> Ordered(IEnumerable<WallDevice> devices) =>
        devices.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id).ToList();

    private static Dictionary<DeviceStatus, int> Count(IEnumerable<WallDevice> devices) =>
        devices.GroupBy(d => d.Status).ToDictionary(g => g.Key, g => g.Count());
}
