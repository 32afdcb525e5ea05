using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>
/// SPEC §3 Transfer ownership: Alice administers Acme, which owns Kiosks; Globex holds an empty Kiosks on
/// which Alice is a Developer.
/// </summary>
public class TransferApplicationTests
{
    private static readonly Organization Globex = Organization(id: 2, name: "Globex");

    private static ApplicationContext Placeholder(string name = "Kiosks", Organization? organization = null) =>
        Context(organization ?? Globex, Application(id: 20, name: name, organizationId: (organization ?? Globex).Id));

    private static ApplicationAccess OnPlaceholder(ApplicationRole? role, OrganizationRole organizationRole = OrganizationRole.Member) =>
        ApplicationAccess.Of(Alice, organizationRole, role, false);

    private static TransferApplication Transfer(ApplicationContext? placeholder = null, ApplicationAccess? access = null, Organization? target = null) =>
        new(target ?? Globex, placeholder ?? Placeholder(), access ?? OnPlaceholder(ApplicationRole.Developer));

    private static Decision Decide(TransferApplication transfer, ApplicationContext? context = null) =>
        FleetPolicy.Decide(OrganizationAdministrator(), transfer, context ?? Context(Device()));

    [Fact]
    public void Organization_administrator_who_is_Developer_on_the_placeholder_may_transfer()
    {
        Assert.True(Decide(Transfer()).IsAllowed);
    }

    [Fact]
    public void Administrator_of_the_target_organization_may_transfer_without_a_membership()
    {
        var decision = Decide(Transfer(access: OnPlaceholder(null, OrganizationRole.Administrator)));

        Assert.True(decision.IsAllowed, decision.Refusal);
    }

    [Fact]
    public void Someone_who_does_not_administer_the_source_organization_is_refused()
    {
        var applicationAdministrator = Member(ApplicationRole.Administrator);

        var permitted = FleetPolicy.Permits(applicationAdministrator, Transfer(), "Kiosks");
        var decision = FleetPolicy.Decide(applicationAdministrator, Transfer(), Context(Device()));

        Assert.Equal("Transfer application needs an administrator of the organization that owns Kiosks.", permitted.Refusal);
        Assert.Equal(permitted, decision);
    }

    [Fact]
    public void Transfer_within_the_same_organization_is_refused()
    {
        var decision = Decide(Transfer(target: Organization()));

        Assert.Equal("Kiosks already belongs to Acme.", decision.Refusal);
    }

    [Fact]
    public void Target_without_a_placeholder_is_refused()
    {
        var decision = Decide(new TransferApplication(Globex, null, null));

        Assert.Equal("Globex has no application named Kiosks that you can see: create an empty one there first.", decision.Refusal);
    }

    [Fact]
    public void Placeholder_of_another_name_is_refused()
    {
        var decision = Decide(Transfer(Placeholder(name: "Kiosk")));

        Assert.Equal("Globex has no application named Kiosks that you can see: create an empty one there first.", decision.Refusal);
    }

    [Fact]
    public void Placeholder_in_a_third_organization_is_refused()
    {
        var decision = Decide(Transfer(Placeholder(organization: Organization(id: 3, name: "Initech"))));

        Assert.Equal("Globex has no application named Kiosks that you can see: create an empty one there first.", decision.Refusal);
    }

    [Fact]
    public void Placeholder_with_a_device_is_refused()
    {
        var placeholder = Placeholder();
        placeholder = placeholder with { Devices = [Device(placeholder.Application)] };

        Assert.Equal("Kiosks in Globex must be empty; it has 1 device and 0 releases.", Decide(Transfer(placeholder)).Refusal);
    }

    [Fact]
    public void Placeholder_with_a_release_is_refused()
    {
        var placeholder = Placeholder() with
        {
            Releases = [new Release { Id = 1, ApplicationId = 20, Commit = "abc", Version = "1.0.0", CreatedBy = Bob.UserId }],
        };

        Assert.Equal("Kiosks in Globex must be empty; it has 0 devices and 1 release.", Decide(Transfer(placeholder)).Refusal);
    }

    public static TheoryData<ApplicationRole> RolesBelowDeveloper() => [ApplicationRole.Observer, ApplicationRole.Operator];

    [Theory]
    [MemberData(nameof(RolesBelowDeveloper))]
    public void Transferring_user_below_Developer_on_the_placeholder_is_refused(ApplicationRole role)
    {
        var decision = Decide(Transfer(access: OnPlaceholder(role)));

        Assert.Equal($"You need the Developer role on Kiosks in Globex, or to administer Globex; you have the {role} role.", decision.Refusal);
    }

    [Fact]
    public void A_placeholder_the_user_cannot_see_reads_as_no_placeholder_at_all() =>
        Assert.Equal("Globex has no application named Kiosks that you can see: create an empty one there first.",
            Decide(Transfer(access: OnPlaceholder(null))).Refusal);

    [Fact]
    public void A_transfer_prepared_with_someone_elses_access_on_the_placeholder_is_not_weighed_at_all()
    {
        var borrowed = Transfer(access: ApplicationAccess.Of(Bob, OrganizationRole.Administrator, null, false));

        var error = Assert.Throws<FleetDomainException>(() => Decide(borrowed));

        Assert.Contains("prepared for someone else", error.Message);
    }

    [Fact]
    public void Transferred_application_keeps_its_id_devices_releases_and_device_states()
    {
        var online = Device(name: "door").With(d => { d.PublicUrlEnabled = true; d.SetTag("site", "north"); });
        var offline = OfflineDevice(name: "till").With(d => d.UpdateLockHeld = true);
        var release = new Release { Id = 5, ApplicationId = TheApplicationId, Commit = "abc", Version = "1.0.0", CreatedBy = Bob.UserId };
        var context = Context(online, offline) with { Releases = [release] };
        context.Application.TargetReleaseId = 5;
        var before = new[] { online, offline }.Select(Snapshot).ToList();

        var effects = Transfer().Run(context);

        Assert.Equal(TheApplicationId, context.Application.Id);
        Assert.Equal(Globex.Id, context.Application.OrganizationId);
        Assert.Equal("Kiosks", context.Application.Name);
        Assert.Equal(5, context.Application.TargetReleaseId);
        Assert.Equal(before, new[] { online, offline }.Select(Snapshot));
        Assert.DoesNotContain(release, effects.Removed);
        Assert.DoesNotContain(online, effects.Removed);
        Assert.Empty(effects.Added);
    }

    [Fact]
    public void Every_member_but_the_transferring_user_keeps_their_membership()
    {
        var alice = new ApplicationMember { ApplicationId = TheApplicationId, UserId = Alice.UserId, Role = ApplicationRole.Administrator };
        var bob = new ApplicationMember { ApplicationId = TheApplicationId, UserId = Bob.UserId, Role = ApplicationRole.Operator };
        var carol = new ApplicationMember { ApplicationId = TheApplicationId, UserId = "u-carol", Role = ApplicationRole.Observer };
        var context = Context() with { Members = [alice, bob, carol] };

        var effects = Transfer().Run(context);

        Assert.Contains(alice, effects.Removed);
        Assert.DoesNotContain(bob, effects.Removed);
        Assert.DoesNotContain(carol, effects.Removed);
        Assert.Equal((ApplicationRole.Operator, ApplicationRole.Observer), (bob.Role, carol.Role));
    }

    [Fact]
    public void Placeholder_and_its_members_are_gone_afterwards()
    {
        var placeholderMember = new ApplicationMember { ApplicationId = 20, UserId = Alice.UserId, Role = ApplicationRole.Developer };
        var globexMember = new ApplicationMember { ApplicationId = 20, UserId = "u-dave", Role = ApplicationRole.Administrator };
        var placeholder = Placeholder() with { Members = [placeholderMember, globexMember] };

        var effects = Transfer(placeholder).Run(Context(Device()));

        Assert.Contains(placeholder.Application, effects.Removed);
        Assert.Contains(placeholderMember, effects.Removed);
        Assert.Contains(globexMember, effects.Removed);
    }

    [Fact]
    public void Transfer_of_a_Starter_application_keeps_the_target_organizations_Starter_limit()
    {
        // Globex's other Starter applications already hold 8 devices; Kiosks brings 3 more: 11 > 10.
        var kiosks = Application(type: ApplicationType.Starter);
        var context = Context(Organization(plan: OrganizationPlan.Free), kiosks, Device(kiosks), Device(kiosks), Device(kiosks));
        var placeholder = Placeholder() with { StarterDevicesElsewhere = 8 };

        var decision = Decide(Transfer(placeholder), context);

        Assert.False(decision.IsAllowed, "Globex would hold 11 Starter devices");
        Assert.Contains("at most 10", decision.Refusal);
    }

    [Fact]
    public void Transfer_of_a_paid_type_application_needs_a_Paid_target_organization()
    {
        var freeGlobex = Organization(id: 2, name: "Globex", plan: OrganizationPlan.Free);

        var decision = Decide(Transfer(Placeholder(organization: freeGlobex), target: freeGlobex));

        Assert.False(decision.IsAllowed, "a Free organization would own a Microservices application");
        Assert.Contains("Paid", decision.Refusal);
    }

    private static string Snapshot(Core.Devices.Device d) =>
        string.Join("|", d.ApplicationId, d.Name, d.DeviceType, d.HostOsVersion, d.AgentVersion, d.ReleaseCommit, d.ConnectedAt,
            d.LastContactAt, d.PublicUrlEnabled, d.LocalMode, d.UpdateLockHeld, d.LockOverride, d.DeactivatedAt, d.OrphanedAt,
            string.Join(",", d.Tags.Select(t => $"{t.Name}={t.Value}")));
}
