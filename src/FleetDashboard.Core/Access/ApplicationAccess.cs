using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;

namespace FleetDashboard.Core.Access;

/// <summary>
/// What one actor may do on one application: their organization role there and the application role
/// that follows from it, their membership, or a support grant.
/// </summary>
public sealed record ApplicationAccess(Actor Actor, OrganizationRole? OrganizationRole, ApplicationRole? Role)
{
    public bool IsOrganizationAdministrator => OrganizationRole == Organizations.OrganizationRole.Administrator;
    public bool CanSee => Role is not null;

    /// <summary>
    /// Organization administrators act as Administrator on every application of their organization;
    /// other people have the role of their membership. Support staff see an application only while a
    /// support grant for it is in force, and then only as an Observer: their membership does not count.
    /// </summary>
    public static ApplicationAccess Of(Actor actor, OrganizationRole? organizationRole,
        ApplicationRole? memberRole, bool supportGrantInForce)
    {
        if (actor.IsSupportStaff)
            return new(actor, null, supportGrantInForce ? ApplicationRole.Observer : null);
        var role = organizationRole == Organizations.OrganizationRole.Administrator
            ? ApplicationRole.Administrator
            : memberRole;
        return new(actor, organizationRole, role);
    }

    public static string Describe(ApplicationRole? role) => role is null ? "no role on it" : $"the {role} role";
}
