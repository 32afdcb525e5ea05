using System.Globalization;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Actions;

namespace FleetDashboard.Web.Components.Pages.Applications;

/// <summary>
/// What the check boxes of an application's device list hold: devices checked one by one, or the check box
/// at the top (SPEC §3: the listed devices when a filter is applied, every device of the application when
/// none is). Ids are not gathered for the top check box: the service resolves them when the operator confirms.
/// </summary>
public sealed class DeviceListSelection(int applicationId)
{
    private readonly HashSet<int> _deviceIds = [];

    public int ApplicationId { get; } = applicationId;

    /// <summary>The check box at the top is set: every listed device, on every page.</summary>
    public bool AllListed { get; private set; }

    public IReadOnlyCollection<int> DeviceIds => _deviceIds;

    public bool IsEmpty => !AllListed && _deviceIds.Count == 0;

    public bool IsChecked(int deviceId) => AllListed || _deviceIds.Contains(deviceId);

    /// <summary>The top check box: set, unset, or in between while some devices are checked one by one.</summary>
    public bool? HeaderState => AllListed ? true : _deviceIds.Count > 0 ? null : false;

    /// <summary>
    /// Checks or unchecks one device. Unchecking one while all are selected keeps the devices on screen
    /// but that one, as mail clients do: the rest of the listed devices are not known here by id.
    /// </summary>
    public void Check(int deviceId, bool isChecked, IEnumerable<int> onScreen)
    {
        if (AllListed)
        {
            AllListed = false;
            _deviceIds.UnionWith(onScreen);
        }
        if (isChecked) _deviceIds.Add(deviceId);
        else _deviceIds.Remove(deviceId);
    }

    /// <summary>The top check box was clicked: selects all when not everything is selected, else clears.</summary>
    public void ToggleAll()
    {
        if (AllListed) Clear();
        else
        {
            _deviceIds.Clear();
            AllListed = true;
        }
    }

    public void Clear()
    {
        AllListed = false;
        _deviceIds.Clear();
    }

    /// <summary>How many devices are selected, given how many the filters list in all.</summary>
    public int Count(int listedTotal) => AllListed ? listedTotal : _deviceIds.Count;

    /// <summary>"12 selected", "all 1,234 listed devices selected", "all 1,234 devices of the application selected".</summary>
    public string Describe(int listedTotal, bool filtersApplied)
    {
        if (!AllListed) return $"{Number(_deviceIds.Count)} selected";
        var devices = listedTotal == 1 ? "device" : "devices";
        return filtersApplied
            ? $"all {Number(listedTotal)} listed {devices} selected"
            : $"all {Number(listedTotal)} {devices} of the application selected";
    }

    /// <summary>What the Group actions act on, or null when nothing is selected.</summary>
    public DeviceTargets? Targets(IReadOnlyList<DeviceFilter> appliedFilters)
    {
        if (AllListed) return DeviceTargets.AllListed(ApplicationId, appliedFilters);
        if (_deviceIds.Count == 0) return null;
        return DeviceTargets.Group(ApplicationId, _deviceIds.Order().ToList(), appliedFilters);
    }

    private static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
