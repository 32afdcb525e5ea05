using System.Security.Claims;
using FleetDashboard.Core;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetDashboard.Web.Api;

/// <summary>What the caller may see: applications, an application's device list (the page's own query), one device.</summary>
internal static class ApplicationEndpoints
{
    public static void MapApplicationEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/applications", ListApplicationsAsync).WithName("ListApplications")
            .WithSummary("The organizations and applications you may see, with your role and device counts per status.");
        api.MapGet("/applications/{applicationId:int}/devices", ListDevicesAsync).WithName("ListDevices")
            .WithSummary("One page of an application's devices, filtered and sorted as on the device list page.")
            .WithDescription("Each filter is column:operator:value, as the page's chips: status:is:online, name:contains:kiosk, " +
                             "tag.floor:is:3, hostOs:isBefore:2.12.0, lastSeen:isBefore:2026-12-01. Filters are ANDed.");
        api.MapGet("/devices/{deviceId:int}", GetDeviceAsync).WithName("GetDevice")
            .WithSummary("Everything the device page shows about one device.");
    }

    private static async Task<Ok<IReadOnlyList<OrganizationSummary>>> ListApplicationsAsync(ClaimsPrincipal user, FleetQueries queries,
        CancellationToken ct) =>
        TypedResults.Ok(await queries.ApplicationsAsync(user, ct));

    private static async Task<Results<Ok<DevicePage>, ProblemHttpResult>> ListDevicesAsync(int applicationId, ClaimsPrincipal user,
        FleetQueries queries, [AsParameters] DeviceListParameters parameters, CancellationToken ct)
    {
        DeviceListRequest request;
        try
        {
            request = parameters.Request(applicationId);
        }
        catch (FleetDomainException e)
        {
            return ApiProblems.BadRequest(e);
        }
        return await queries.DevicePageAsync(user, request, ct) is { } page ? TypedResults.Ok(page) : ApiProblems.ApplicationNotFound(applicationId);
    }

    private static async Task<Results<Ok<DeviceDetails>, ProblemHttpResult>> GetDeviceAsync(int deviceId, ClaimsPrincipal user,
        FleetQueries queries, CancellationToken ct) =>
        await queries.DeviceDetailsAsync(user, deviceId, ct) is { } device
            ? TypedResults.Ok(device)
            : ApiProblems.NotFound($"Device #{deviceId} does not exist or you cannot see it.");
}

/// <summary>The device list's query string: the page's filters, sort and paging.</summary>
internal sealed record DeviceListParameters(string[]? Filter, DeviceSort? Sort, bool? Descending, int? Skip, int? Take, string? SortTag)
{
    public DeviceListRequest Request(int applicationId) =>
        new(applicationId, (Filter ?? []).Select(ApiFilter.Parse).ToList(), Sort ?? DeviceSort.Name, Descending ?? false, Skip ?? 0,
            Take ?? 50, SortTag);
}
