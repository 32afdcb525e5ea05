using System.Security.Claims;
using FleetDashboard.Core;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetDashboard.Web.Api;

/// <summary>
/// Any action with a form in the dialog, on a device, a selection or an application: the plan first, then the run
/// with that plan's confirmation, through the same <see cref="ActionService"/> (and so the same rules, records and
/// refusals) as the dialog.
/// </summary>
internal static class ActionEndpoints
{
    public static void MapActionEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/applications/{applicationId:int}/plan", (int applicationId, ActionCall call, ClaimsPrincipal user, ActionService actions,
                CancellationToken ct) => PlanAsync(call, () => Task.FromResult<DeviceTargets?>(call.TargetsOn(applicationId)), user, actions, ct))
            .WithName("PlanApplicationAction")
            .WithSummary("What an action would do now on the application, some of its devices, or every device a filter lists; changes nothing.");
        api.MapPost("/applications/{applicationId:int}/runs", (int applicationId, ActionCall call, ClaimsPrincipal user, ActionService actions,
                FleetQueries queries, CancellationToken ct) =>
                RunAsync(call, () => Task.FromResult<DeviceTargets?>(call.TargetsOn(applicationId)), user, actions, queries, ct))
            .WithName("RunApplicationAction")
            .WithSummary("Runs the action as its plan was confirmed; refused (and recorded) if the plan changed or the typed name is wrong.");
        api.MapPost("/devices/{deviceId:int}/plan", (int deviceId, ActionCall call, ClaimsPrincipal user, ActionService actions,
                FleetQueries queries, CancellationToken ct) => PlanAsync(call, () => OneDeviceAsync(queries, user, deviceId, ct), user, actions, ct))
            .WithName("PlanDeviceAction")
            .WithSummary("What an action would do now on one device; changes nothing.");
        api.MapPost("/devices/{deviceId:int}/runs", (int deviceId, ActionCall call, ClaimsPrincipal user, ActionService actions,
                FleetQueries queries, CancellationToken ct) => RunAsync(call, () => OneDeviceAsync(queries, user, deviceId, ct), user, actions, queries, ct))
            .WithName("RunDeviceAction")
            .WithSummary("Runs the action on one device as its plan was confirmed.");
    }

    private static DeviceTargets TargetsOn(this ActionCall call, int applicationId) => (call.Targets ?? new ApiTargets()).For(applicationId);

    private static async Task<DeviceTargets?> OneDeviceAsync(FleetQueries queries, ClaimsPrincipal user, int deviceId, CancellationToken ct) =>
        await queries.DeviceDetailsAsync(user, deviceId, ct) is { } device ? DeviceTargets.Device(device.ApplicationId, deviceId) : null;

    private static async Task<Results<Ok<PlanAnswer>, ProblemHttpResult>> PlanAsync(ActionCall call, Func<Task<DeviceTargets?>> targets,
        ClaimsPrincipal user, ActionService actions, CancellationToken ct)
    {
        try
        {
            if (await targets() is not { } chosen) return ApiProblems.NotFound("The device does not exist or you cannot see it.");
            return TypedResults.Ok(PlanAnswer.Of(await actions.PlanAsync(user, call.Request(chosen), ct)));
        }
        catch (FleetDomainException e)
        {
            return ApiProblems.BadRequest(e);
        }
    }

    private static async Task<Results<Accepted<ActionRunDetails>, ProblemHttpResult>> RunAsync(ActionCall call, Func<Task<DeviceTargets?>> targets,
        ClaimsPrincipal user, ActionService actions, FleetQueries queries, CancellationToken ct)
    {
        if (call.Confirmation?.Fingerprint is null)
            return ApiProblems.BadRequest("A run sends back the confirmation its plan gave (POST .../plan first), with the typed name where the plan asks for one.");
        ActionRequest request;
        try
        {
            if (await targets() is not { } chosen) return ApiProblems.NotFound("The device does not exist or you cannot see it.");
            request = call.Request(chosen);
        }
        catch (FleetDomainException e)
        {
            return ApiProblems.BadRequest(e);
        }
        // Returns once recorded, as the dialog does: immediate actions' outcomes arrive at GET /runs/{id}/outcomes.
        var run = await actions.StartAsync(user, request, ct);
        if (run.Refusal is { } refusal) return await ApiProblems.RefusedAsync(queries, actions, user, request, run.Id, refusal, ct);
        return TypedResults.Accepted($"/api/v1/runs/{run.Id}", await queries.ActionRunAsync(user, run.Id, ct));
    }
}
