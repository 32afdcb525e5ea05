using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;

namespace FleetDashboard.Core.Actions;

/// <summary>The one place where roles and state combine into a decision.</summary>
public static class FleetPolicy
{
    /// <summary>Whether the actor's role allows the action at all, before any state is looked at.</summary>
    public static Decision Permits(ApplicationAccess access, FleetAction action, string applicationName)
    {
        if (!action.IsFor(access.Actor))
            throw new FleetDomainException($"{action.Title} was prepared for someone else than {access.Actor.Email}.");
        if (action.NeedsOrganizationAdministrator)
            return Decision.When(!access.IsOrganizationAdministrator,
                $"{action.Title} needs an administrator of the organization that owns {applicationName}.");
        if (access.Role is null)
            return Decision.Refuse($"{action.Title} needs the {action.LeastRole} role on {applicationName}; you have no role on it.");
        return Decision.When(access.Role < action.LeastRole,
            $"{action.Title} needs the {action.LeastRole} role on {applicationName}; you have {ApplicationAccess.Describe(access.Role)}.");
    }

    public static Decision Decide(ApplicationAccess access, ApplicationAction action, ApplicationContext context) =>
        Permits(access, action, context.Application.Name).Then(() => action.Check(context));

    /// <summary>
    /// Plans any action of <paramref name="context"/>'s application. A device action is planned over
    /// <paramref name="devices"/> (each will run, or is skipped with the outcome that will be recorded for it); an
    /// action on the application itself over the devices it touches: every one, or none.
    /// </summary>
    public static ActionPlan Plan(ApplicationAccess access, FleetAction action, ApplicationContext context,
        IReadOnlyList<Device> devices, ActionScope scope = ActionScope.Group) => action switch
    {
        DeviceAction deviceAction => Plan(access, deviceAction, context, devices) with { Scope = scope },
        ApplicationAction applicationAction => Plan(access, applicationAction, context),
        _ => throw new FleetDomainException($"{action.Title} is planned by its own page."),
    };

    /// <summary>An action on the application itself: a plan over every device when it touches them all, otherwise over none.</summary>
    public static ActionPlan Plan(ApplicationAccess access, ApplicationAction action, ApplicationContext context)
    {
        action = action.In(context);
        var decision = Decide(access, action, context);
        IReadOnlyList<Device> touched = action.TouchesEveryDevice ? context.Devices : [];
        var skip = decision.IsAllowed ? null : Skip.Refused(decision.Refusal!);
        return new ActionPlan(action, decision, touched.Select(d => new PlannedDevice(d, skip)).ToList(), context)
            { Scope = ActionScope.Application };
    }

    /// <summary>
    /// Plans a device action over <paramref name="devices"/> (all of <paramref name="context"/>'s application):
    /// each will run, or is skipped with the outcome that will be recorded for it.
    /// </summary>
    public static ActionPlan Plan(ApplicationAccess access, DeviceAction action, ApplicationContext context,
        IReadOnlyList<Device> devices)
    {
        var stranger = devices.FirstOrDefault(d => d.ApplicationId != context.Application.Id);
        if (stranger is not null)
            throw new FleetDomainException($"Device {stranger.ShortUuid} is not in {context.Application.Name}.");

        var decision = Permits(access, action, context.Application.Name).Then(() => action.CheckScope(devices, context));
        if (!decision.IsAllowed)
        {
            var refused = Skip.Refused(decision.Refusal!);
            return new ActionPlan(action, decision, devices.Select(d => new PlannedDevice(d, refused)).ToList(), context);
        }
        return new ActionPlan(action, decision, devices.Select(d => new PlannedDevice(d, action.Check(d, context))).ToList(), context);
    }

    /// <summary>
    /// An action on the organization: its administrators', except what the one who acts is let in by (an invitation,
    /// whose token is the permission, accepted before the person has any role).
    /// </summary>
    public static Decision Decide(OrganizationRole? role, OrganizationAction action, OrganizationContext context) =>
        Decision.When(action.NeedsOrganizationAdministrator && role != OrganizationRole.Administrator,
                $"{action.Title} needs an administrator of {context.Organization.Name}.")
            .Then(() => action.Check(context));

    /// <summary>An action on the organization itself: a plan over no device, standing on the application it concerns, if any.</summary>
    public static ActionPlan Plan(OrganizationRole? role, OrganizationAction action, OrganizationContext context)
    {
        action = action.In(context);
        return new(action, Decide(role, action, context), [],
                new ApplicationContext(context.Organization, action.Subject(context) ?? Nothing(context.Organization), context.Now))
            { Scope = ActionScope.Organization };
    }

    /// <summary>What the plan of an action about people stands on: no application (its run names none).</summary>
    private static Application Nothing(Organization organization) =>
        new() { OrganizationId = organization.Id, Name = "", DefaultDeviceType = "" };
}
