using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;

namespace FleetDashboard.Testing;

/// <summary>For tests about what an action does rather than how it is confirmed.</summary>
public static class ConfirmedRuns
{
    /// <summary>
    /// Plans the request, then runs it confirmed as a person would who read that plan and typed the name it asks
    /// for. Tests of the confirmation itself build their <see cref="Confirmation"/> by hand.
    /// </summary>
    public static async Task<ActionRun> ConfirmedRunAsync(this ActionService actions, ClaimsPrincipal user, ActionRequest request)
    {
        var plan = await actions.PlanAsync(user, request);
        return await actions.RunAsync(user, request with { Confirmed = Confirmation.Of(plan, plan.NameToType) });
    }
}
