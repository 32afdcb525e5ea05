using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Selection;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// Which devices of an application an action is for, as the page chose them. The ids are resolved when the
/// operator confirms, from the store as it is then. An organization action is on no device: its targets name
/// the organization only.
/// </summary>
public sealed record DeviceTargets
{
    /// <summary>0 for an action on an organization.</summary>
    public int ApplicationId { get; }

    /// <summary>Set for an action on an organization only: an application's organization is the store's to say.</summary>
    public int? OrganizationId { get; private init; }
    public ActionScope Scope { get; }

    /// <summary>Devices checked one by one; unused when <see cref="SelectAll"/> is set or the scope is the application.</summary>
    public IReadOnlyList<int> DeviceIds { get; }

    /// <summary>The filters (or saved view's filters) applied to the list when the operator confirmed.</summary>
    public IReadOnlyList<DeviceFilter> Filters { get; }

    /// <summary>The check box at the top of the list: the listed devices, or all when nothing is applied.</summary>
    public bool SelectAll { get; }

    private DeviceTargets(int applicationId, ActionScope scope, IReadOnlyList<int> deviceIds,
        IReadOnlyList<DeviceFilter> filters, bool selectAll) =>
        (ApplicationId, Scope, DeviceIds, Filters, SelectAll) = (applicationId, scope, deviceIds, filters, selectAll);

    public static DeviceTargets Device(int applicationId, int deviceId) =>
        new(applicationId, ActionScope.Device, [deviceId], [], false);

    public static DeviceTargets Application(int applicationId) =>
        new(applicationId, ActionScope.Application, [], [], false);

    public static DeviceTargets Group(int applicationId, IReadOnlyList<int> deviceIds, IReadOnlyList<DeviceFilter>? filters = null) =>
        new(applicationId, ActionScope.Group, deviceIds, filters ?? [], false);

    public static DeviceTargets AllListed(int applicationId, IReadOnlyList<DeviceFilter> filters) =>
        new(applicationId, ActionScope.Group, [], filters, true);

    public static DeviceTargets Organization(int organizationId) =>
        new(0, ActionScope.Organization, [], [], false) { OrganizationId = organizationId };
}
