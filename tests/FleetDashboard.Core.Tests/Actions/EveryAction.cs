using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>The least a person needs for an action (SPEC §2).</summary>
public enum Needs { Operator, Developer, Administrator, OrganizationAdministrator, TheInvitation }

/// <summary>What the policy answered when someone tried an action; the plan too for a device action.</summary>
public sealed record Attempt(Decision Decision, ActionPlan? Plan);

/// <summary>
/// One action, the least role SPEC §2 gives it, and how to try it in a state its own rules allow.
/// <see cref="Sample"/> builds the action.
/// </summary>
public sealed record ActionRow(Type Action, Needs Needs, Func<Who, Attempt> Try, Func<FleetAction> Sample)
{
    public string Name => Action.Name;
    public bool IsDeviceAction => typeof(DeviceAction).IsAssignableFrom(Action);
}

/// <summary>
/// Every action of the Core with its least role, from SPEC §2. Each is set up in a state where the action's
/// own rules let it run, so that only the role decides. A new action without a row fails
/// <see cref="FleetPolicyTests.Every_action_of_the_core_has_a_row_in_the_role_table"/>.
/// </summary>
public static class EveryAction
{
    private static readonly DateTimeOffset Tomorrow = Now.AddDays(1);

    private static readonly CreateApplication Entrances = new("Entrances", ApplicationType.Microservices, "raspberrypi4-64");

    public static IReadOnlyList<ActionRow> Rows { get; } =
    [
        // General actions (Operator).
        OnDevices(Needs.Operator, _ => new SetPublicUrl(true)),
        OnDevices(Needs.Operator, _ => new RestartApplication()),
        OnDevices(Needs.Operator, _ => new PurgeData()),
        OnDevices(Needs.Operator, _ => new RebootDevice()),
        OnDevices(Needs.Operator, _ => new IdentifyDevice()),
        OnDevices(Needs.Operator, _ => new ShutdownDevice()),

        // Device-specific actions (Operator).
        OnDevices(Needs.Operator, _ => new SetLockOverride(true)),
        OnDevices(Needs.Operator, _ => new SetLocalMode(true)),
        OnDevices(Needs.Operator, who => MoveTo(Context(Application(id: 11, name: "Lobby")), AccessOf(who))),
        OnDevices(Needs.Operator, _ => new UpdateHostOs(Version("2.14.0"))),
        OnDevices(Needs.Operator, _ => new DeactivateDevice(), () => Context(OfflineDevice())),
        OnDevices(Needs.Operator, _ => new DeleteDevice()),
        OnDevices(Needs.Operator, _ => new ChangeDeviceType("generic-aarch64")),
        OnDevices(Needs.Operator, _ => new RenameDevice("front-door")),
        OnDevices(Needs.Operator, _ => new SetDeviceTag("site", "north")),
        OnDevices(Needs.Operator, _ => new RemoveDeviceTag("site"),
            () => Context(Device().With(d => d.SetTag("site", "north")))),
        OnDevices(Needs.Operator, _ => new GrantDeviceSupportAccess(TimeSpan.FromDays(1))),
        OnDevices(Needs.Operator, _ => new RevokeDeviceSupportAccess(), () =>
        {
            var device = Device();
            return Context(device) with { SupportGrants = [new SupportGrant { DeviceId = device.Id, GrantedBy = "u-bob", GrantedAt = Now.AddHours(-1), Until = Tomorrow }] };
        }),

        // Provisioning keys (Developer: issue 12).
        OnApplication(Needs.Developer, _ => new CreateProvisioningKey("line-3")),
        OnApplication(Needs.Developer, _ => new RevokeProvisioningKey(4), () => Context() with
        {
            ProvisioningKeys = [new ProvisioningKey { Id = 4, ApplicationId = TheApplicationId, Name = "line-3", KeyHash = "h", CreatedBy = "bob@acme.test" }],
        }),

        // Records of the application an Operator keeps: saved views.
        OnApplication(Needs.Operator, _ => new SaveView("north", [NorthFilter])),
        OnApplication(Needs.Operator, _ => new RenameView(5, "south"), WithNorthView),
        OnApplication(Needs.Operator, _ => new DeleteView(5), WithNorthView),

        // Releases (Developer).
        OnApplication(Needs.Developer, _ => new CreateRelease("4f2a9c1", new Dictionary<string, string> { ["main"] = "registry/main:1" })),
        OnApplication(Needs.Developer, _ => new SetTargetRelease(7), () => Context() with { Releases = [Release(7)] }),
        OnDevices(Needs.Developer, _ => new PinRelease(7), () => Context(Device()) with { Releases = [Release(7)] }),

        // Application actions and members (Administrator).
        OnApplication(Needs.Administrator, _ => new ChangeApplicationType(ApplicationType.Essentials), () => Context(Device())),
        OnApplication(Needs.Administrator, _ => new RenameApplication("Entrances")),
        OnApplication(Needs.Administrator, _ => new SetAllPublicUrls(true), () => Context(Device())),
        OnApplication(Needs.Administrator, _ => new GrantApplicationSupportAccess(TimeSpan.FromDays(1))),
        OnApplication(Needs.Administrator, _ => new RevokeApplicationSupportAccess(), () => Context() with
        {
            SupportGrants = [new SupportGrant { ApplicationId = TheApplicationId, GrantedBy = "u-bob", GrantedAt = Now.AddHours(-1), Until = Tomorrow }],
        }),
        OnApplication(Needs.Administrator, _ => new DeleteApplication(), () => Context(Device())),
        OnApplication(Needs.Administrator, _ => new AddMember(Bob.UserId, Bob.Email, ApplicationRole.Operator)),
        OnApplication(Needs.Administrator, _ => new ChangeMemberRole(Bob.UserId, Bob.Email, ApplicationRole.Developer), WithBobAsMember),
        OnApplication(Needs.Administrator, _ => new RemoveMember(Bob.UserId, Bob.Email), WithBobAsMember),
        OnApplication(Needs.Administrator, _ => new InviteMember("carol@acme.test", ApplicationRole.Developer)),
        OnApplication(Needs.Administrator, _ => new RevokeMemberInvitation(3), () => Context() with { Invitations = [People.Invitation()] }),
        OnApplication(Needs.Administrator, _ => new CreateWallDisplayLink(5), WithNorthView),
        OnApplication(Needs.Administrator, _ => new RevokeWallDisplayLink(6), () => Context() with
        {
            WallDisplayLinks = [new WallDisplayLink { Id = 6, ApplicationId = TheApplicationId, TokenHash = "h", CreatedBy = "bob@acme.test" }],
        }),

        // The organization's (organization Administrator).
        OnApplication(Needs.OrganizationAdministrator, who =>
        {
            var target = Organization(id: 2, name: "Globex");
            var placeholder = Context(target, Application(id: 20, name: "Kiosks", organizationId: 2));
            var accessOnPlaceholder = ApplicationAccess.Of(ActorOf(who), OrganizationRole.Member, ApplicationRole.Developer, false);
            return new TransferApplication(target, placeholder, accessOnPlaceholder);
        }),
        new ActionRow(typeof(CreateApplication), Needs.OrganizationAdministrator, who =>
            new Attempt(FleetPolicy.Decide(OrganizationRoleOf(who), Entrances,
                new OrganizationContext(Organization(), Now) { ApplicationNames = ["Kiosks"] }), null),
            () => Entrances),
        OnOrganization(Needs.OrganizationAdministrator, () => new InvitePerson("carol@acme.test", OrganizationRole.Member)),
        OnOrganization(Needs.OrganizationAdministrator, () => new RevokeInvitation(3), _ => People.Acme(Alice, People.Invitation())),
        OnOrganization(Needs.OrganizationAdministrator, () => new ChangeOrganizationRole(Bob.UserId, OrganizationRole.Administrator)),
        OnOrganization(Needs.OrganizationAdministrator, () => new RemoveFromOrganization(Bob.UserId)),

        // The invited person's, whatever their role (usually none yet); never support staff's.
        OnOrganization(Needs.TheInvitation, () => new AcceptInvitation(People.Token),
            who => People.Acme(ActorOf(who), People.Invitation(email: ActorOf(who).Email))),
    ];

    public static ActionRow Row(string name) => Rows.Single(r => r.Name == name);

    private static ActionRow OnDevices<T>(Needs needs, Func<Who, T> action, Func<ApplicationContext>? context = null)
        where T : DeviceAction =>
        new(typeof(T), needs, who =>
        {
            var plan = Plan(action(who), (context ?? (() => Context(Device())))(), AccessOf(who));
            return new Attempt(plan.Decision, plan);
        }, () => action(Who.OrganizationAdministrator));

    private static ActionRow OnApplication<T>(Needs needs, Func<Who, T> action, Func<ApplicationContext>? context = null)
        where T : ApplicationAction =>
        new(typeof(T), needs, who =>
            new Attempt(FleetPolicy.Decide(AccessOf(who), action(who), (context ?? (() => Context()))()), null),
            () => action(Who.OrganizationAdministrator));

    private static ActionRow OnOrganization<T>(Needs needs, Func<T> action, Func<Who, OrganizationContext>? context = null)
        where T : OrganizationAction =>
        new(typeof(T), needs, who =>
            new Attempt(FleetPolicy.Plan(OrganizationRoleOf(who), action(), (context ?? (w => People.Acme(ActorOf(w))))(who)).Decision, null),
            () => action());

    // A property, not a field: the table above is built before the fields that follow it.
    private static Core.Selection.DeviceFilter NorthFilter =>
        Core.Selection.DeviceFilter.Create(Core.Selection.DeviceColumn.Tag, Core.Selection.FilterOperator.Is, "north", "site");

    private static ApplicationContext WithNorthView() =>
        Context() with { SavedViews = [new Core.Selection.SavedView { Id = 5, ApplicationId = TheApplicationId, Name = "north", Filters = [NorthFilter], CreatedBy = "bob@acme.test" }] };

    private static ApplicationContext WithBobAsMember() =>
        Context() with { Members = [new ApplicationMember { ApplicationId = TheApplicationId, UserId = Bob.UserId, Role = ApplicationRole.Operator }] };

    private static Release Release(int id) =>
        new() { Id = id, ApplicationId = TheApplicationId, Commit = $"commit{id}", Version = $"1.{id}.0", CreatedAt = Now.AddDays(-1), CreatedBy = Alice.UserId };
}
