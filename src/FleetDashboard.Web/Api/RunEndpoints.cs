using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetDashboard.Web.Api;

/// <summary>A run and its per-device outcomes, as the run page reads them.</summary>
internal static class RunEndpoints
{
    public static void MapRunEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/runs/{runId:long}", GetRunAsync).WithName("GetRun")
            .WithSummary("One action run: who, what, on what, refused or not, and its outcome counts (devices still waiting included).");
        api.MapGet("/runs/{runId:long}/outcomes", ListOutcomesAsync).WithName("ListRunOutcomes")
            .WithSummary("One page of a run's per-device outcomes.");
    }

    private static async Task<Results<Ok<ActionRunDetails>, ProblemHttpResult>> GetRunAsync(long runId, ClaimsPrincipal user, FleetQueries queries,
        CancellationToken ct) =>
        await queries.ActionRunAsync(user, runId, ct) is { } run ? TypedResults.Ok(run) : RunNotFound(runId);

    private static async Task<Results<Ok<OutcomePage>, ProblemHttpResult>> ListOutcomesAsync(long runId, ClaimsPrincipal user,
        FleetQueries queries, OutcomeKind? outcome, OutcomeSort? sort, bool? descending, int? skip, int? take, CancellationToken ct) =>
        await queries.ActionRunOutcomesAsync(user, new OutcomeListRequest(runId, outcome, sort ?? OutcomeSort.Device, descending ?? false,
            skip ?? 0, take ?? 50), ct) is { } page
            ? TypedResults.Ok(page)
            : RunNotFound(runId);

    private static ProblemHttpResult RunNotFound(long runId) => ApiProblems.NotFound($"Run #{runId} does not exist or you cannot see it.");
}
