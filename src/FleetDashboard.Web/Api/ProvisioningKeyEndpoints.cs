using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Api;

/// <summary>Provisioning keys through their actions: listed, created (the secret in the answer, once), revoked.</summary>
internal static class ProvisioningKeyEndpoints
{
    public static void MapProvisioningKeyEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/applications/{applicationId:int}/provisioning-keys", ListAsync).WithName("ListProvisioningKeys")
            .WithSummary("An application's provisioning keys with their uses and state (never their secrets).");
        api.MapPost("/applications/{applicationId:int}/provisioning-keys", CreateAsync).WithName("CreateProvisioningKey")
            .WithSummary("Creates a key; its secret is in this answer and never again.");
        api.MapDelete("/applications/{applicationId:int}/provisioning-keys/{keyId:int}", RevokeAsync).WithName("RevokeProvisioningKey")
            .WithSummary("Revokes a key: devices registered with it stay; no new one registers with it.");
    }

    /// <summary>Those who may create keys may list them: the names and limits of keys are not every Observer's business.</summary>
    private static async Task<Results<Ok<IReadOnlyList<ProvisioningKeyRow>>, ProblemHttpResult>> ListAsync(int applicationId, ClaimsPrincipal user,
        FleetQueries queries, IDbContextFactory<FleetDbContext> dbs, TimeProvider clock, CancellationToken ct)
    {
        var application = await queries.ApplicationAsync(user, applicationId, ct);
        if (application is null) return ApiProblems.ApplicationNotFound(applicationId);
        if (application.Role < CreateProvisioningKey.Create.LeastRole)
            return TypedResults.Problem($"Listing provisioning keys needs the {CreateProvisioningKey.Create.LeastRole} role on {application.Name}.",
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var keys = await db.ProvisioningKeys.AsNoTracking().Where(k => k.ApplicationId == applicationId).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<ProvisioningKeyRow>>(keys.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            .Select(k => new ProvisioningKeyRow(k.Id, k.Name, k.CreatedAt, k.CreatedBy, k.ExpiresAt, k.MaxUses, k.Uses, k.RevokedAt, k.Refusal(now)))
            .ToList());
    }

    private static async Task<Results<Created<NewProvisioningKey>, ProblemHttpResult>> CreateAsync(int applicationId, CreateKey key,
        ClaimsPrincipal user, ActionService actions, FleetQueries queries, IDbContextFactory<FleetDbContext> dbs, CancellationToken ct)
    {
        var request = ActionRequest.On(applicationId, new CreateProvisioningKey(key.Name, key.ExpiresAt, key.MaxUses));
        var (run, secret) = await actions.IssueAsync(user, request, ct);
        if (run.Refusal is { } refusal) return await ApiProblems.RefusedAsync(queries, actions, user, request, run.Id, refusal, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var id = await db.ProvisioningKeys.Where(k => k.ApplicationId == applicationId && k.Name == key.Name && k.RevokedAt == null)
            .Select(k => k.Id).SingleAsync(ct);
        return TypedResults.Created($"/api/v1/applications/{applicationId}/provisioning-keys", new NewProvisioningKey(id, key.Name, secret!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(int applicationId, int keyId, ClaimsPrincipal user,
        ActionService actions, FleetQueries queries, CancellationToken ct)
    {
        var request = ActionRequest.On(applicationId, new RevokeProvisioningKey(keyId));
        var run = await actions.RunAsync(user, request, ct);
        if (run.Refusal is { } refusal) return await ApiProblems.RefusedAsync(queries, actions, user, request, run.Id, refusal, ct);
        return TypedResults.NoContent();
    }
}

public sealed record ProvisioningKeyRow(int Id, string Name, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ExpiresAt, int? MaxUses,
    int Uses, DateTimeOffset? RevokedAt, string? Refusal);

/// <summary>A key as a script asks for it: a name, and optionally an expiry and a number of devices.</summary>
public sealed record CreateKey(string Name, DateTimeOffset? ExpiresAt = null, int? MaxUses = null);

/// <summary>The key just made, with its secret: shown here once, kept only as a hash.</summary>
public sealed record NewProvisioningKey(int Id, string Name, string Secret);
