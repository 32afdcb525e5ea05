using System.Security.Claims;
using System.Text.Encodings.Web;
using FleetDashboard.Core.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// Devices sign in with their own credential as a bearer token in the Authorization header. The device is whoever the credential belongs to: nothing a device
/// says in a message can change that. Orphaned and deleted devices have no credential that works.
/// </summary>
public sealed class DeviceCredentials(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, CredentialLookups lookups) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Device";
    public const string DeviceIdClaim = "fleet:device";
    public const string UuidClaim = "fleet:uuid";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The header only: devices are not browsers, and a query string ends up in request logs.
        var token = Bearer(Request.Headers.Authorization.ToString());
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();
        if (token.Length > 200) return AuthenticateResult.Fail("That is no device credential.");

        var device = await lookups.DeviceAsync(Secret.Hash(token), Context.RequestAborted);
        if (device is null) return AuthenticateResult.Fail("Unknown, revoked or deleted device credential.");

        var identity = new ClaimsIdentity(
            [new Claim(DeviceIdClaim, device.Id.ToString()), new Claim(UuidClaim, device.Uuid)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static string? Bearer(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
}
