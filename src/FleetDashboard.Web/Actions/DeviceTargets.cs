using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Selection;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// Which devices of an application an action is for, as the page chose them. The ids are resolved when the
/// operator confirms, from the store as it is then.
/// </summary>
public sealed record DeviceTargets
{
    public int ApplicationId { get; }
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
}
