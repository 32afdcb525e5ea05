using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Components.Actions;

/// <summary>An application devices may be moved to, as the Move dialog offers it: "Lobby · Acme · Raspberry Pi 4 (64 bit)".</summary>
public sealed record MoveTarget(int Id, string Label)
{
    /// <summary>
    /// Where someone may move devices of <paramref name="fromApplicationId"/>: their other applications where they are an
    /// Operator or more, of an architecture the source's devices run; the organization is named, since two organizations
    /// may each have an application of the same name.
    /// </summary>
    public static IReadOnlyList<MoveTarget> Offered(IReadOnlyList<OrganizationSummary> organizations, int fromApplicationId)
    {
        var from = organizations.SelectMany(o => o.Applications).FirstOrDefault(a => a.Id == fromApplicationId);
        if (from is null || DeviceType.Find(from.DefaultDeviceType) is not { } fromType) return [];
        return organizations
            .SelectMany(o => o.Applications.Select(a => (Organization: o, Application: a)))
            .Where(x => x.Application.Id != fromApplicationId && x.Application.Role >= ApplicationRole.Operator
                        && DeviceType.Find(x.Application.DefaultDeviceType) is { } type && fromType.Architecture.CanRun(type.Architecture))
            .Select(x => new MoveTarget(x.Application.Id,
                $"{x.Application.Name} · {x.Organization.Name} · {DeviceType.Get(x.Application.DefaultDeviceType).DisplayName}"))
            .ToList();
    }
}
