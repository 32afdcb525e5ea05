using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Components.Pages.Applications;

/// <summary>What <c>/applications</c> shows: the applications by organization, the devices opened to support, and which events concern them.</summary>
public sealed class ApplicationsOverview(IReadOnlyList<OrganizationSummary> organizations, IReadOnlyList<DeviceRow> supportDevices)
{
    private readonly HashSet<int> _applications = [.. organizations.SelectMany(o => o.Applications).Select(a => a.Id)];
    private readonly HashSet<int> _devices = [.. supportDevices.Select(d => d.Id)];

    public IReadOnlyList<OrganizationSummary> Organizations => organizations;
    public IReadOnlyList<DeviceRow> SupportDevices => supportDevices;

    /// <summary>Support staff with grants on single devices only: there is no application to list, and that is no news.</summary>
    public bool OnlySupportDevices => organizations.Count == 0 && supportDevices.Count > 0;

    /// <summary>Counts change with a device's status or record and with a run recorded for a shown application.</summary>
    public bool Concerns(DeviceEvent e) => e.ChangesDeviceLists
        && (e.ApplicationId is { } id && _applications.Contains(id) || _devices.Contains(e.DeviceId));
}
