using System.Globalization;

namespace FleetDashboard.Web.Services;

public static class HistoryExportEndpoints
{
    /// <summary>
    /// The history as CSV, per organization, per application and per device, with the page's filters in the query string. The
    /// signed-in cookie authorizes it; what is not visible is not found, as on the page.
    /// </summary>
    public static WebApplication MapFleetHistoryExport(this WebApplication app)
    {
        app.MapGet("/applications/{id:int}/history.csv", (int id, HttpContext http, FleetQueries queries, TimeProvider clock) =>
                ExportAsync(HistorySubject.Application(id), $"application-{id}", http, queries, clock))
            .RequireAuthorization();
        app.MapGet("/organizations/{id:int}/history.csv", (int id, HttpContext http, FleetQueries queries, TimeProvider clock) =>
                ExportAsync(HistorySubject.Organization(id), $"organization-{id}", http, queries, clock))
            .RequireAuthorization();
        app.MapGet("/devices/{id:int}/history.csv", (int id, HttpContext http, FleetQueries queries, TimeProvider clock) =>
                ExportAsync(HistorySubject.Device(id), $"device-{id}", http, queries, clock))
            .RequireAuthorization();
        return app;
    }

    private static async Task<IResult> ExportAsync(HistorySubject subject, string name, HttpContext http, FleetQueries queries, TimeProvider clock)
    {
        var (filter, problem) = HistoryFilter.Parse(http.Request.Query);
        if (filter is null) return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "The history's filters cannot be read");
        var write = await queries.HistoryCsvAsync(http.User, subject, filter, http.RequestAborted);
        if (write is null) return Results.NotFound();
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        return Results.Stream(stream => write(stream, http.RequestAborted), "text/csv; charset=utf-8", $"{name}-history-{stamp}.csv");
    }
}
