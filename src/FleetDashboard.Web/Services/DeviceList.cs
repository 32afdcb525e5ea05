using FleetDashboard.Core.Selection;

namespace FleetDashboard.Web.Services;

/// <summary>The columns the device list sorts by; <see cref="Tag"/> is the value of the tag the request names.</summary>
public enum DeviceSort { Status, Name, Uuid, DeviceType, HostOs, Agent, Release, LastSeen, IpAddress, Tag }

/// <summary>One page of an application's device list: which filters, which order, which rows.</summary>
public sealed record DeviceListRequest(
    int ApplicationId,
    IReadOnlyList<DeviceFilter> Filters,
    DeviceSort Sort = DeviceSort.Name,
    bool Descending = false,
    int Skip = 0,
    int Take = 50,
    string? SortTag = null)
{
    public const int MaxTake = 500;
}

/// <summary>The rows of one page and how many devices the filters list in all.</summary>
public sealed record DevicePage(IReadOnlyList<DeviceRow> Rows, int Total);
