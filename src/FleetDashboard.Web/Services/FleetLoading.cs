using System.Security.Claims;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>Fresh loads of what a rule looks at. Nothing here is cached: the page's view may be stale.</summary>
internal static class FleetLoading
{
    /// <summary>The signed-in person, re-read from the store on every call (a revoked support flag counts at once).</summary>
    public static async Task<Actor> ActorAsync(this FleetDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier)
                 ?? throw new UnauthorizedAccessException("Sign in first.");
        var person = await db.Users.AsNoTracking().Where(u => u.Id == id)
                         .Select(u => new { u.Id, u.Email, u.IsSupportStaff })
                         .SingleOrDefaultAsync(ct)
                     ?? throw new UnauthorizedAccessException("This account no longer exists.");
        return new Actor(person.Id, person.Email ?? "", person.IsSupportStaff);
    }

    public static async Task<ApplicationAccess> AccessAsync(this FleetDbContext db, Actor actor, Application application,
        DateTimeOffset now, CancellationToken ct)
    {
        var organizationRole = await db.OrganizationMembers
            .Where(m => m.OrganizationId == application.OrganizationId && m.UserId == actor.UserId)
            .Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync(ct);
        var memberRole = await db.ApplicationMembers
            .Where(m => m.ApplicationId == application.Id && m.UserId == actor.UserId)
            .Select(m => (ApplicationRole?)m.Role).SingleOrDefaultAsync(ct);
        var grant = actor.IsSupportStaff && await db.SupportGrants.AnyAsync(
            g => g.ApplicationId == application.Id && g.RevokedAt == null && g.Until > now, ct);
        return ApplicationAccess.Of(actor, organizationRole, memberRole, grant);
    }

    /// <summary>
    /// Whether the actor may see one device: through its application, or — for support staff — through a
    /// support grant on the device itself that is in force.
    /// </summary>
    public static async Task<bool> CanSeeDeviceAsync(this FleetDbContext db, Actor actor, Device device, DateTimeOffset now,
        CancellationToken ct)
    {
        if (device.ApplicationId is not { } applicationId) return false;
        var application = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == applicationId, ct);
        if ((await db.AccessAsync(actor, application, now, ct)).CanSee) return true;
        return actor.IsSupportStaff && await db.SupportGrants.AnyAsync(
            g => g.DeviceId == device.Id && g.RevokedAt == null && g.Until > now, ct);
    }

    /// <summary>An application and everything its rules look at, tracked so that actions can change it.</summary>
    public static async Task<ApplicationContext> ContextAsync(this FleetDbContext db, Application application,
        DateTimeOffset now, CancellationToken ct)
    {
        var organization = await db.Organizations.SingleAsync(o => o.Id == application.OrganizationId, ct);
        var devices = await db.Devices.Include(d => d.Tags).Where(d => d.ApplicationId == application.Id).ToListAsync(ct);
        var deviceIds = devices.Select(d => d.Id).ToList();
        var starterElsewhere = await db.Devices.CountAsync(d => db.Applications.Any(a =>
            a.Id == d.ApplicationId && a.OrganizationId == organization.Id && a.Type == ApplicationType.Starter && a.Id != application.Id), ct);
        var otherNames = await db.Applications
            .Where(a => a.OrganizationId == organization.Id && a.Id != application.Id).Select(a => a.Name).ToListAsync(ct);
        var releases = await db.Releases.Where(r => r.ApplicationId == application.Id).ToListAsync(ct);
        var members = await db.ApplicationMembers.Where(m => m.ApplicationId == application.Id).ToListAsync(ct);
        var grants = await db.SupportGrants
            .Where(g => g.ApplicationId == application.Id || (g.DeviceId != null && deviceIds.Contains(g.DeviceId.Value)))
            .ToListAsync(ct);
        var keys = await db.ProvisioningKeys.Where(k => k.ApplicationId == application.Id).ToListAsync(ct);
        var views = await db.SavedViews.Where(v => v.ApplicationId == application.Id).ToListAsync(ct);
        var links = await db.WallDisplayLinks.Where(l => l.ApplicationId == application.Id).ToListAsync(ct);
        var invitations = await db.Invitations.Where(i => i.ApplicationId == application.Id).ToListAsync(ct);
        return new ApplicationContext(organization, application, now)
        {
            ProvisioningKeys = keys,
            SavedViews = views,
            WallDisplayLinks = links,
            Invitations = invitations,
            Devices = devices,
            StarterDevicesElsewhere = starterElsewhere,
            OtherApplicationNames = otherNames,
            Releases = releases,
            Members = members,
            SupportGrants = grants,
        };
    }

    /// <summary>The message for an application that does not exist and for one the actor may not see: the same, so ids leak nothing.</summary>
    public static string NotVisible(int applicationId) =>
        $"Application #{applicationId} does not exist or you cannot see it.";
}
