using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Components.Pages.Wall;

/// <summary>
/// What a wall screen shows, kept up to date from what the store says of the devices the feed named: the devices
/// in grid order (by name) with their statuses, their counts per status, and the latest changes, newest first. Used
/// on the renderer's thread only, except <see cref="Shows"/>, which the feed asks from any thread. Each device costs
/// a few bytes here (its place in the <see cref="Order"/> and one byte of status): every open wall keeps its fleet.
/// </summary>
public sealed class WallBoard
{
    private volatile WallGridOrder _order;
    private byte[] _statuses; // by grid position
    private readonly List<WallChange> _changes;

    public WallBoard(WallScreen screen)
    {
        (ApplicationId, ApplicationName, ViewName) = (screen.ApplicationId, screen.ApplicationName, screen.ViewName);
        (_order, _statuses) = Lay(screen.Devices);
        Counts = CountByStatus(_statuses);
        _changes = [.. screen.LatestChanges.Take(FleetQueries.WallChangeCount)];
    }

    public int ApplicationId { get; }
    public string ApplicationName { get; private set; }
    public string? ViewName { get; private set; }

    /// <summary>Where each device sits; a new one whenever a device arrives, leaves or is renamed, never for a status.</summary>
    public WallGridOrder Order => _order;

    public int Count => _statuses.Length;

    public DeviceStatus StatusAt(int position) => (DeviceStatus)_statuses[position];

    public IReadOnlyDictionary<DeviceStatus, int> Counts { get; private set; }

    /// <summary>The latest changes, newest first, at most <see cref="FleetQueries.WallChangeCount"/>.</summary>
    public IReadOnlyList<WallChange> Changes => _changes;

    /// <summary>Whether the wall shows this device now (the feed also reports devices leaving the application).</summary>
    public bool Shows(int deviceId) => _order.Shows(deviceId);

    /// <summary>The devices in grid order, made afresh from what the board keeps.</summary>
    public IReadOnlyList<WallDevice> Cells()
    {
        var order = _order;
        return Enumerable.Range(0, order.Count).Select(i => new WallDevice(order.IdAt(i), order.NameAt(i), StatusAt(i))).ToList();
    }

    /// <summary>
    /// Takes in what the store says now of the devices <paramref name="asked"/> about: those in
    /// <paramref name="current"/> are on the wall as given, the others are not on it any more. True when anything shown changed.
    /// </summary>
    public bool Apply(IEnumerable<int> asked, IReadOnlyList<WallDevice> current, DateTimeOffset at)
    {
        var now = current.ToDictionary(d => d.Id);
        var edits = new Dictionary<int, WallDevice?>(); // what each changed device is now; null: it left
        var reorder = false;
        foreach (var id in asked.Distinct())
        {
            var before = Cell(id);
            var after = now.GetValueOrDefault(id);
            if (before == after) continue;
            edits[id] = after;
            if (after is null)
            {
                reorder = true;
                Record(new WallChange(id, before!.Name, before.Status, ViewName is null ? "left the application" : "left the view", at));
                continue;
            }
            reorder |= before is null || before.Name != after.Name;
            if (before?.Status != after.Status)
                Record(new WallChange(id, after.Name, after.Status, FleetQueries.WallChangeText(after.Status, before?.Status), at));
        }
        if (edits.Count == 0) return false;

        // A status change keeps every cell where it was; only a device arriving, leaving or renamed moves others.
        if (reorder)
            (_order, _statuses) = Lay(Cells().Where(d => !edits.ContainsKey(d.Id)).Concat(edits.Values.OfType<WallDevice>()));
        else
            foreach (var after in edits.Values) _statuses[_order.PositionOf(after!.Id)] = (byte)after.Status;
        Counts = CountByStatus(_statuses);
        return true;
    }

    /// <summary>A fresh full load: what differs from the board is taken in as changes. True when anything shown changed.</summary>
    public bool Replace(WallScreen screen)
    {
        var renamed = screen.ApplicationName != ApplicationName || screen.ViewName != ViewName;
        (ApplicationName, ViewName) = (screen.ApplicationName, screen.ViewName);
        var changed = Apply(_order.Ids.Concat(screen.Devices.Select(d => d.Id)).ToList(), screen.Devices, screen.At);
        return changed || renamed;
    }

    private WallDevice? Cell(int deviceId) =>
        _order.PositionOf(deviceId) is var at and >= 0 ? new WallDevice(deviceId, _order.NameAt(at), StatusAt(at)) : null;

    private void Record(WallChange change)
    {
        _changes.Insert(0, change);
        if (_changes.Count > FleetQueries.WallChangeCount) _changes.RemoveRange(FleetQueries.WallChangeCount, _changes.Count - FleetQueries.WallChangeCount);
    }

    private static (WallGridOrder, byte[]) Lay(IEnumerable<WallDevice> devices)
    {
        var ordered = devices.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id).ToList();
        return (new WallGridOrder(ordered), ordered.Select(d => (byte)d.Status).ToArray());
    }

    private static Dictionary<DeviceStatus, int> CountByStatus(byte[] statuses)
    {
        var counts = new Dictionary<DeviceStatus, int>();
        foreach (var status in statuses) counts[(DeviceStatus)status] = counts.GetValueOrDefault((DeviceStatus)status) + 1;
        return counts;
    }
}
