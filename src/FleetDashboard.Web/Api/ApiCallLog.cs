using FleetDashboard.Web.Api.AccessTokens;

namespace FleetDashboard.Web.Api;

/// <summary>
/// One log line per API call: who, with which token, what, and the answer's status. What the call changes is
/// recorded by the action pipeline in the fleet's history, refused attempts too, like a click.
/// </summary>
internal sealed class ApiCallLog(ILogger<ApiCallLog> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var result = await next(context);
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? http.Response.StatusCode;
        logger.LogInformation("API {Method} {Path} by {User} with access token #{TokenId} \"{TokenName}\": {Status}",
            http.Request.Method, http.Request.Path.Value, http.User.Identity?.Name,
            http.User.FindFirst(AccessTokenAuthentication.TokenIdClaim)?.Value, http.User.FindFirst(AccessTokenAuthentication.TokenNameClaim)?.Value,
            status);
        return result;
    }
}
