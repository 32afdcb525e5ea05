using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using FleetDashboard.Web.Data;

namespace FleetDashboard.Web.Components.Account;

/// <summary>Adds the display name to the sign-in cookie so the layout can show it without a database call.</summary>
internal sealed class FleetUserClaimsPrincipalFactory(UserManager<FleetUser> userManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<FleetUser>(userManager, options)
{
    public const string DisplayNameClaimType = "fleet:display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(FleetUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaimType, user.DisplayName));
        return identity;
    }

    public static string DisplayNameOf(ClaimsPrincipal user) =>
        user.FindFirst(DisplayNameClaimType)?.Value is { Length: > 0 } displayName
            ? displayName
            : user.Identity?.Name ?? "";
}
