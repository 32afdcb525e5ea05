using System.Security.Claims;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>What the wall tests start from: Acme's administrator, and an operator who is a member of its kiosks.</summary>
public static class WallFleet
{
    public static async Task<(Application Kiosks, ClaimsPrincipal Admin, ClaimsPrincipal Operator)> AcmeAsync(FleetStore store)
    {
        var admin = await store.UserAsync("admin");
        var @operator = await store.UserAsync("operator");
        var acme = await store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator), (@operator, OrganizationRole.Member)]);
        var kiosks = await store.ApplicationAsync(acme, "kiosks", members: [(@operator, ApplicationRole.Operator)]);
        return (kiosks, FleetStore.SignedIn(admin), FleetStore.SignedIn(@operator));
    }
}
