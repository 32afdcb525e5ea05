using System.Security.Claims;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// A request as the store holds it now: who acts and their access, the application and everything its rules
/// look at, what the action mentions elsewhere, and the devices the targets name; for an organization action, the
/// organization and the actor's role in it. <see cref="Refusal"/> is set when there is nothing to plan (an
/// application or organization the actor cannot see, a device of another application).
/// </summary>
public sealed record LoadedRequest(Actor Actor, FleetAction Action, DeviceTargets Targets, DateTimeOffset Now)
{
    public ApplicationAccess? Access { get; init; }
    public ApplicationContext? Context { get; init; }
    public IReadOnlyList<Device> Devices { get; init; } = [];
    public string? Refusal { get; init; }

    public OrganizationContext? Organization { get; init; }
    public OrganizationRole? OrganizationRole { get; init; }

    /// <summary>False when the application does not exist at all: then the run names no application.</summary>
    public bool ApplicationExists { get; init; } = true;

    /// <summary>The organization the application is in now, also when the actor may not see it: a refusal is its history.</summary>
    public int? OrganizationId { get; init; }

    /// <summary>The decide stage: the core's policy over what was loaded.</summary>
    public ActionPlan Plan() => this switch
    {
        { Refusal: null, Organization: { } organization, Action: OrganizationAction action } =>
            FleetPolicy.Plan(OrganizationRole, action, organization),
        { Refusal: null, Access: { } access, Context: { } context } => FleetPolicy.Plan(access, Action, context, Devices, Targets.Scope),
        _ => new ActionPlan(Action, Decision.Refuse(Refusal ?? FleetLoading.NotVisible(Targets.ApplicationId)), [],
            Context ?? StandIn(Targets.ApplicationId, Now)) { Scope = Targets.Scope },
    };

    /// <summary>What a refused plan stands on when the actor may learn nothing of the application.</summary>
    private static ApplicationContext StandIn(int applicationId, DateTimeOffset now) =>
        new(new Organization { Name = "" }, new Application { Id = applicationId, Name = "", DefaultDeviceType = "generic-aarch64" }, now);
}

/// <summary>
/// The load stage: reads, fresh from the store for every call, what the rules look at. Nothing is cached: the
/// page's view may be stale, this is not.
/// </summary>
public sealed class ActionLoading(TimeProvider clock)
{
    public async Task<LoadedRequest> LoadAsync(FleetDbContext db, ClaimsPrincipal user, ActionRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var actor = await db.ActorAsync(user, ct);
        var targets = request.Targets;
        if (targets.OrganizationId is { } organizationId) return await LoadOrganizationAsync(db, actor, request, organizationId, now, ct);
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == targets.ApplicationId, ct);
        var access = application is null ? null : await db.AccessAsync(actor, application, now, ct);
        if (application is null || access is not { CanSee: true })
            // What the action mentions stays unlooked-at too: the refusal names only ids.
            return new LoadedRequest(actor, request.Action.Knowing(new Found()), targets, now)
                {
                    Refusal = FleetLoading.NotVisible(targets.ApplicationId), ApplicationExists = application is not null,
                    OrganizationId = application?.OrganizationId,
                };

        var context = await db.ContextAsync(application, now, ct);
        var action = request.Action.Mentions is { } mention
            ? request.Action.Knowing(await FindAsync(db, actor, context, mention, ct))
            : request.Action;
        var (devices, problem) = action is DeviceAction ? Resolve(context, targets) : ([], null);
        return new LoadedRequest(actor, action, targets, now) { Access = access, Context = context, Devices = devices, Refusal = problem };
    }

    /// <summary>
    /// An organization action: the organization, its people, invitations and applications, and the actor's role there.
    /// Only an action that lets in someone without a role (accepting an invitation) is planned for them.
    /// </summary>
    private static async Task<LoadedRequest> LoadOrganizationAsync(FleetDbContext db, Actor actor, ActionRequest request, int organizationId,
        DateTimeOffset now, CancellationToken ct)
    {
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        var members = await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId).ToListAsync(ct);
        var role = members.FirstOrDefault(m => m.UserId == actor.UserId)?.Role;
        if (organization is null || (request.Action.NeedsOrganizationAdministrator && (role is null || actor.IsSupportStaff)))
            // A refused try is the organization's history too: its administrators read who tried what.
            return new LoadedRequest(actor, request.Action, request.Targets, now)
            {
                Refusal = $"Organization #{organizationId} does not exist or you are not its administrator.",
                OrganizationId = organization?.Id,
            };
        var applications = await db.Applications.Where(a => a.OrganizationId == organizationId).ToListAsync(ct);
        var applicationIds = applications.Select(a => a.Id).ToList();
        var memberIds = members.Select(m => m.UserId).ToList();
        var context = new OrganizationContext(organization, now)
        {
            ApplicationNames = applications.Select(a => a.Name).ToList(),
            Actor = actor,
            Applications = applications,
            Members = members,
            People = await db.Users.Where(u => memberIds.Contains(u.Id)).Select(u => new Person(u.Id, u.Email ?? "")).ToListAsync(ct),
            ApplicationMembers = await db.ApplicationMembers.Where(m => applicationIds.Contains(m.ApplicationId)).ToListAsync(ct),
            Invitations = await db.Invitations.Where(i => i.OrganizationId == organizationId).ToListAsync(ct),
        };
        return new LoadedRequest(actor, request.Action, request.Targets, now)
            { Organization = context, OrganizationRole = actor.IsSupportStaff ? null : role };
    }

    /// <summary>The devices the targets name, resolved now; a device of another application refuses the whole request.</summary>
    private static (IReadOnlyList<Device> Devices, string? Problem) Resolve(ApplicationContext context, DeviceTargets targets)
    {
        if (targets.Scope == ActionScope.Application) return (context.Devices, null);
        if (targets.SelectAll) return (DeviceSelection.SelectAll(context.Devices, targets.Filters, context.Now), null);
        var byId = context.Devices.ToDictionary(d => d.Id);
        var missing = targets.DeviceIds.Where(id => !byId.ContainsKey(id)).ToList();
        if (missing.Count > 0)
            return ([], $"{missing.Count} of the chosen devices are not in {context.Application.Name} (#{string.Join(", #", missing.Take(5))}).");
        if (targets.DeviceIds.Count == 0) return ([], "No device was chosen.");
        return (targets.DeviceIds.Distinct().Select(id => byId[id]).ToList(), null);
    }

    /// <summary>What the action mentions, as far as the actor may learn it.</summary>
    private static async Task<Found> FindAsync(FleetDbContext db, Actor actor, ApplicationContext context, Mention mention,
        CancellationToken ct)
    {
        if (mention.ApplicationId is { } applicationId)
        {
            var other = await db.Applications.SingleOrDefaultAsync(a => a.Id == applicationId, ct);
            if (other is null) return new Found();
            var access = await db.AccessAsync(actor, other, context.Now, ct);
            return access.CanSee ? new Found(await db.ContextAsync(other, context.Now, ct), access) : new Found();
        }
        if (mention.OrganizationId is { } organizationId) return await FindPlaceholderAsync(db, actor, context, organizationId, ct);
        var person = mention.PersonEmail is { } email
            ? await db.Users.Where(u => u.NormalizedEmail == email.Trim().ToUpperInvariant())
                .Select(u => new Person(u.Id, u.Email ?? email)).SingleOrDefaultAsync(ct)
            : await db.Users.Where(u => u.Id == mention.PersonUserId)
                .Select(u => new Person(u.Id, u.Email ?? "")).SingleOrDefaultAsync(ct);
        return new Found(Person: person);
    }

    /// <summary>
    /// A transfer's side: the target organization, when the actor has a place in it (a membership, or one on the
    /// application of the same name there), and that application — the placeholder — with their access on it.
    /// </summary>
    private static async Task<Found> FindPlaceholderAsync(FleetDbContext db, Actor actor, ApplicationContext context, int organizationId,
        CancellationToken ct)
    {
        var target = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (target is null) return new Found();
        var name = context.Application.Name.ToUpper();
        var placeholder = await db.Applications.SingleOrDefaultAsync(a => a.OrganizationId == target.Id && a.Name.ToUpper() == name, ct);
        var knowsTarget = await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == target.Id && m.UserId == actor.UserId, ct)
                          || (placeholder is not null && await db.ApplicationMembers.AnyAsync(
                              m => m.ApplicationId == placeholder.Id && m.UserId == actor.UserId, ct));
        if (!knowsTarget) return new Found();
        if (placeholder is null) return new Found(Organization: target);
        return new Found(await db.ContextAsync(placeholder, context.Now, ct), await db.AccessAsync(actor, placeholder, context.Now, ct), target);
    }
}
