using System.Text;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Components.Pages.Wall;

/// <summary>
/// Where each device sits on a wall's grid: ids and names in grid order (by name), and each id's position. Never
/// changed once made (a device arriving, leaving or renamed makes a new one), so the feed may ask it from any thread.
/// Names are kept as UTF-8 in one array: a wall keeps each device in some twenty bytes, not in a record and a string
/// of its own (~100 bytes), because every open wall keeps its whole fleet (benchmark B7: 10,000 devices, 1 MB a screen).
/// </summary>
public sealed class WallGridOrder
{
    private readonly int[] _ids;
    private readonly byte[] _names;
    private readonly int[] _nameEnds;
    // Each id's position, as ids sorted with their positions beside them: 8 bytes a device, where a dictionary
    // took about 20 (benchmark B7, 10,000 devices).
    private readonly int[] _sortedIds;
    private readonly int[] _positionsOfSorted;

    /// <summary>The given devices, already in grid order; their statuses are the board's to keep.</summary>
    public WallGridOrder(IReadOnlyList<WallDevice> ordered)
    {
        _ids = new int[ordered.Count];
        _nameEnds = new int[ordered.Count];
        var end = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            _ids[i] = ordered[i].Id;
            _nameEnds[i] = end += Encoding.UTF8.GetByteCount(ordered[i].Name);
        }
        _names = new byte[end];
        for (var i = 0; i < ordered.Count; i++) Encoding.UTF8.GetBytes(ordered[i].Name, _names.AsSpan(Start(i)));
        _sortedIds = [.. _ids];
        _positionsOfSorted = [.. Enumerable.Range(0, _ids.Length)];
        Array.Sort(_sortedIds, _positionsOfSorted);
    }

    public int Count => _ids.Length;

    /// <summary>The device ids in grid order.</summary>
    public IReadOnlyList<int> Ids => _ids;

    public int IdAt(int position) => _ids[position];

    public string NameAt(int position)
    {
        var start = Start(position);
        return Encoding.UTF8.GetString(_names, start, _nameEnds[position] - start);
    }

    /// <summary>The names in grid order, made afresh: for drawing the grid, not for keeping.</summary>
    public string[] Names() => Enumerable.Range(0, Count).Select(NameAt).ToArray();

    /// <summary>The device's position on the grid; -1 when the wall does not show it.</summary>
    public int PositionOf(int deviceId) => Array.BinarySearch(_sortedIds, deviceId) is var found and >= 0 ? _positionsOfSorted[found] : -1;

    public bool Shows(int deviceId) => Array.BinarySearch(_sortedIds, deviceId) >= 0;

    private int Start(int position) => position == 0 ? 0 : _nameEnds[position - 1];
}
