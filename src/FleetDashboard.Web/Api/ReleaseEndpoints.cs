using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetDashboard.Web.Api;

/// <summary>A build pipeline publishes a release: the <see cref="CreateRelease"/> action, recorded like the page's.</summary>
internal static class ReleaseEndpoints
{
    public static void MapReleaseEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/applications/{applicationId:int}/releases", ListAsync).WithName("ListReleases")
            .WithSummary("An application's releases, newest first, with the fleet's target marked.");
        api.MapPost("/applications/{applicationId:int}/releases", PublishAsync).WithName("PublishRelease")
            .WithSummary("Creates a release (a Developer's action); setting it as the fleet's target is the set-target-release action.");
    }

    private static async Task<Results<Ok<IReadOnlyList<ReleaseRow>>, ProblemHttpResult>> ListAsync(int applicationId, ClaimsPrincipal user,
        FleetQueries queries, CancellationToken ct) =>
        await queries.ApplicationAsync(user, applicationId, ct) is null
            ? ApiProblems.ApplicationNotFound(applicationId)
            : TypedResults.Ok(await queries.ReleasesAsync(user, applicationId, ct));

    private static async Task<Results<Created<ReleaseRow>, ProblemHttpResult>> PublishAsync(int applicationId, PublishRelease release,
        ClaimsPrincipal user, ActionService actions, FleetQueries queries, CancellationToken ct)
    {
        var publish = new CreateRelease(release.Commit, release.Services ?? new Dictionary<string, string>(), release.Version, release.Note ?? "");
        var request = ActionRequest.On(applicationId, publish);
        var run = await actions.RunAsync(user, request, ct);
        if (run.Refusal is { } refusal) return await ApiProblems.RefusedAsync(queries, actions, user, request, run.Id, refusal, ct);
        var made = (await queries.ReleasesAsync(user, applicationId, ct)).First(r => r.Version == publish.TheVersion);
        return TypedResults.Created($"/api/v1/applications/{applicationId}/releases", made);
    }
}

/// <summary>
/// A release as a pipeline publishes it: its commit (or image reference), the image of each service, its version
/// (unique in the application; the commit when none is given) and a note.
/// </summary>
public sealed record PublishRelease(string Commit, Dictionary<string, string>? Services, string? Version = null, string? Note = null);
