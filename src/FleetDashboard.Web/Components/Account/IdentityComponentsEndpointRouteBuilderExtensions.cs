using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using FleetDashboard.Web.Data;

namespace Microsoft.AspNetCore.Routing;

internal static class IdentityComponentsEndpointRouteBuilderExtensions
{
    // The account pages are static forms; only signing out needs an endpoint of its own. There is no
    // registration, external login, passkey or personal-data endpoint: administrators add people.
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var accountGroup = endpoints.MapGroup("/Account");

        // A form post, so antiforgery is checked.
        accountGroup.MapPost("/Logout", async (
            [FromServices] SignInManager<FleetUser> signInManager,
            [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect($"~/{returnUrl}");
        });

        return accountGroup;
    }
}
