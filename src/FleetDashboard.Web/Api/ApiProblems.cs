using FleetDashboard.Core;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetDashboard.Web.Api;

/// <summary>The API's "no"s as RFC 9457 problem details, each with a detail a person can act on.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static ProblemHttpResult BadRequest(FleetDomainException e) => BadRequest(e.Message);

    public static ProblemHttpResult ApplicationNotFound(int applicationId) => NotFound(FleetLoading.NotVisible(applicationId));

    /// <summary>
    /// A recorded refusal, said as what it was: 404 for an application the caller cannot see, 403 for a role too low,
    /// 409 for a plan that changed since it was confirmed (or a name typed wrong) while the action itself is allowed,
    /// and 422 for what the rules refuse otherwise. The run, refused, is in the history; the answer points to it.
    /// </summary>
    public static async Task<ProblemHttpResult> RefusedAsync(FleetQueries queries, ActionService actions, System.Security.Claims.ClaimsPrincipal user,
        ActionRequest request, long runId, string refusal, CancellationToken ct)
    {
        var application = request.Targets.ApplicationId == 0 ? null : await queries.ApplicationAsync(user, request.Targets.ApplicationId, ct);
        var (status, title) = application is null ? (StatusCodes.Status404NotFound, "Not found")
            : application.Role < request.Action.Kind.LeastRole ? (StatusCodes.Status403Forbidden, "Forbidden")
            : (await actions.PlanAsync(user, request, ct)).Decision.IsAllowed ? (StatusCodes.Status409Conflict, "Not what was confirmed")
            : (StatusCodes.Status422UnprocessableEntity, "Refused");
        return TypedResults.Problem(refusal, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["runId"] = runId, ["run"] = $"/api/v1/runs/{runId}" });
    }
}
