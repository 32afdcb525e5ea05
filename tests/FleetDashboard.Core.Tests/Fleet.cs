using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;

namespace FleetDashboard.Core.Tests;

/// <summary>Who tries an action, as the role matrix names them.</summary>
public enum Who
{
    NoRole,
    OrganizationMemberWithoutMembership,
    Observer,
    Operator,
    Developer,
    Administrator,
    OrganizationAdministrator,
    SupportStaffWithGrant,
    SupportStaffWithoutGrant,
}

/// <summary>
/// Test data with sensible defaults, so that a test states only what matters: a Paid organization
/// ("Acme", id 1) with a valid billing account; a Microservices application ("Kiosks", id 10) of
/// Raspberry Pi 4 (64 bit) devices; online devices on host OS 2.13.1 and agent 1.2.0, provisioned a
/// month ago, no lock, no public URL; the actor is Alice, an Operator on the application.
/// </summary>
public static class Fleet
{
    public static readonly DateTimeOffset Now = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);

    public const int TheOrganizationId = 1;
    public const int TheApplicationId = 10;

    public static readonly Actor Alice = new("u-alice", "alice@acme.test");
    public static readonly Actor Bob = new("u-bob", "bob@acme.test");
    public static readonly Actor Support = new("u-support", "support@fleet.test", IsSupportStaff: true);

    private static int _lastDeviceId;

    public static Organization Organization(int id = TheOrganizationId, string name = "Acme",
        OrganizationPlan plan = OrganizationPlan.Paid, bool billingValid = true, long deviceMonthCents = 150) =>
        new() { Id = id, Name = name, Plan = plan, BillingAccountValid = billingValid, DeviceMonthCents = deviceMonthCents };

    public static Application Application(int id = TheApplicationId, string name = "Kiosks",
        ApplicationType type = ApplicationType.Microservices, string deviceType = "raspberrypi4-64",
        int organizationId = TheOrganizationId) =>
        new()
        {
            Id = id, OrganizationId = organizationId, Name = name, Type = type, DefaultDeviceType = deviceType,
            CreatedAt = Now.AddDays(-60),
        };

    /// <summary>A device of <paramref name="application"/> (or of application 10), online unless told otherwise.</summary>
    public static Device Device(Application? application = null, string? name = null,
        string deviceType = "raspberrypi4-64", string hostOs = "2.13.1", string agent = "1.2.0", bool online = true)
    {
        var id = Interlocked.Increment(ref _lastDeviceId);
        return new Device
        {
            Id = id,
            Uuid = id.ToString("x32"),
            Name = name ?? $"device-{id}",
            DeviceType = deviceType,
            ApplicationId = application?.Id ?? TheApplicationId,
            HostOsVersion = FleetVersion.Parse(hostOs),
            AgentVersion = FleetVersion.Parse(agent),
            ProvisionedAt = Now.AddDays(-30),
            FirstConnectedAt = Now.AddDays(-30),
            ConnectedAt = online ? Now.AddHours(-1) : null,
            LastContactAt = online ? Now.AddMinutes(-1) : Now.AddDays(-2),
        };
    }

    public static Device OfflineDevice(Application? application = null, string? name = null) =>
        Device(application, name, online: false);

    /// <summary>Changes what one test cares about on a built value and hands it back.</summary>
    public static T With<T>(this T item, Action<T> change) where T : class
    {
        change(item);
        return item;
    }

    public static ApplicationContext Context(params Device[] devices) =>
        Context(Organization(), Application(), devices);

    public static ApplicationContext Context(Application application, params Device[] devices) =>
        Context(Organization(application.OrganizationId), application, devices);

    public static ApplicationContext Context(Organization organization, Application application, params Device[] devices) =>
        new(organization, application, Now) { Devices = devices };

    public static ApplicationAccess Member(ApplicationRole? role, Actor? actor = null) =>
        ApplicationAccess.Of(actor ?? Alice, OrganizationRole.Member, role, supportGrantInForce: false);

    public static ApplicationAccess Operator(Actor? actor = null) => Member(ApplicationRole.Operator, actor);

    public static ApplicationAccess OrganizationAdministrator(Actor? actor = null) =>
        ApplicationAccess.Of(actor ?? Alice, OrganizationRole.Administrator, null, supportGrantInForce: false);

    public static ApplicationAccess SupportStaff(bool grantInForce) =>
        ApplicationAccess.Of(Support, null, null, grantInForce);

    public static Actor ActorOf(Who who) => who is Who.SupportStaffWithGrant or Who.SupportStaffWithoutGrant ? Support : Alice;

    /// <summary>The organization role <paramref name="who"/> holds in the organization that owns the application.</summary>
    public static OrganizationRole? OrganizationRoleOf(Who who) => who switch
    {
        Who.NoRole or Who.SupportStaffWithGrant or Who.SupportStaffWithoutGrant => null,
        Who.OrganizationAdministrator => OrganizationRole.Administrator,
        _ => OrganizationRole.Member,
    };

    public static ApplicationAccess AccessOf(Who who) => who switch
    {
        Who.NoRole => ApplicationAccess.Of(Alice, null, null, false),
        Who.OrganizationMemberWithoutMembership => Member(null),
        Who.Observer => Member(ApplicationRole.Observer),
        Who.Operator => Member(ApplicationRole.Operator),
        Who.Developer => Member(ApplicationRole.Developer),
        Who.Administrator => Member(ApplicationRole.Administrator),
        Who.OrganizationAdministrator => OrganizationAdministrator(),
        // Support staff's membership never counts: give them one to show it.
        Who.SupportStaffWithGrant => ApplicationAccess.Of(Support, OrganizationRole.Member, ApplicationRole.Administrator, true),
        Who.SupportStaffWithoutGrant => ApplicationAccess.Of(Support, OrganizationRole.Member, ApplicationRole.Administrator, false),
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    /// <summary>Plans <paramref name="action"/> over every device of <paramref name="context"/>, as an Operator unless told.</summary>
    public static ActionPlan Plan(DeviceAction action, ApplicationContext context, ApplicationAccess? access = null) =>
        FleetPolicy.Plan(access ?? Operator(), action, context, context.Devices);

    /// <summary>A move to <paramref name="target"/>, as the service hands it over once it has loaded the target for the mover.</summary>
    public static MoveDevice MoveTo(ApplicationContext target, ApplicationAccess? access = null) =>
        new(target.Application.Id) { Target = target, AccessOnTarget = access ?? Operator() };

    /// <summary>Why <paramref name="device"/>, alone in the default application, is skipped (null: it will run).</summary>
    public static Skip? SkipOf(DeviceAction action, Device device) =>
        Plan(action, Context(device)).Devices.Single().Skip;

    /// <summary>Does what the service does after the operator confirms: applies the action to every device that runs it.</summary>
    public static ActionEffects Run(this ActionPlan plan, ApplicationContext context)
    {
        var effects = new ActionEffects(Alice);
        foreach (var device in plan.ToRun) ((DeviceAction)plan.Action).Apply(device, context, effects);
        return effects;
    }

    public static ActionEffects Run(this ApplicationAction action, ApplicationContext context)
    {
        var effects = new ActionEffects(Alice);
        action.Apply(context, effects);
        return effects;
    }

    public static FleetVersion Version(string text) => FleetVersion.Parse(text);
}
