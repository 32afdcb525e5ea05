using System.Security.Claims;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>A saved view as the device list offers it: its name and the filters it applies.</summary>
public sealed record SavedViewRow(int Id, string Name, IReadOnlyList<DeviceFilter> Filters, string CreatedBy, DateTimeOffset CreatedAt)
{
    /// <summary>Whether these filters are the view's own, in its order: otherwise the view shows as modified.</summary>
    public bool Holds(IReadOnlyList<DeviceFilter> filters) => Filters.Select(Meaning).SequenceEqual(filters.Select(Meaning));

    // A filter's record equality also compares its compiled pattern, which differs between two equal filters.
    private static (DeviceColumn, FilterOperator, string, string?) Meaning(DeviceFilter f) => (f.Column, f.Operator, f.Value, f.TagName);
}

public sealed partial class FleetQueries
{
    /// <summary>The saved views of an application, by name; empty when it does not exist or the user may not see it.</summary>
    public async Task<IReadOnlyList<SavedViewRow>> ViewsAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await CanSeeDeviceListAsync(db, user, applicationId, ct)) return [];
        var views = await db.SavedViews.AsNoTracking().Where(v => v.ApplicationId == applicationId).ToListAsync(ct);
        // Ordered here: SQLite's own ordering of names is by bytes, and people read "north" next to "North".
        return views.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ThenBy(v => v.Id)
            .Select(v => new SavedViewRow(v.Id, v.Name, v.Filters, v.CreatedBy, v.CreatedAt)).ToList();
    }

    /// <summary>The names of the tags on an application's devices, for a column per tag; empty when not visible.</summary>
    public async Task<IReadOnlyList<string>> TagNamesAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await CanSeeDeviceListAsync(db, user, applicationId, ct)) return [];
        // From the tag rows' index (application, name, …) alone: no device is read.
        var names = await db.DeviceTags.OfApplication(applicationId).Select(t => t.Name).Distinct().ToListAsync(ct);
        return names.Order(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private async Task<bool> CanSeeDeviceListAsync(FleetDbContext db, ClaimsPrincipal user, int applicationId, CancellationToken ct)
    {
        var actor = await db.ActorAsync(user, ct);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId, ct);
        return application is not null && (await db.AccessAsync(actor, application, clock.GetUtcNow(), ct)).CanSee;
    }
}
