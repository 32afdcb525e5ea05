using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using FleetDashboard.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Api.AccessTokens;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> on the API: the token's person, signed in with the very principal a cookie
/// sign-in would give them (the same claims factory), plus which token it was, for the log. The API accepts this
/// scheme only, so a browser's cookie (which a cross-site form could send without antiforgery) does not reach it.
/// Expired, revoked and unknown tokens are a 401 problem saying which.
/// </summary>
public sealed class AccessTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers,
    UrlEncoder encoder, AccessTokens tokens, IUserClaimsPrincipalFactory<FleetUser> principals, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "FleetAccessToken";
    public const string TokenIdClaim = "fleet:access_token_id";
    public const string TokenNameClaim = "fleet:access_token_name";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(header.Parameter))
            return AuthenticateResult.NoResult();

        var holder = await tokens.HolderAsync(header.Parameter, Context.RequestAborted);
        if (holder is not { User: { } user, Problem: null }) return AuthenticateResult.Fail(holder.Problem ?? "The access token is unknown.");
        var principal = await principals.CreateAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(TokenIdClaim, holder.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(TokenNameClaim, holder.TokenName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = result.Failure?.Message
                         ?? "The API needs a personal access token: send \"Authorization: Bearer <token>\" (make one on your account page).",
            },
        });
    }
}
