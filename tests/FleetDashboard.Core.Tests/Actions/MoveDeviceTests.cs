using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Tests.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3 Move to another application.</summary>
public class MoveDeviceTests
{
    private static Application Lobby(ApplicationType type = ApplicationType.Microservices, string deviceType = "raspberrypi4-64") =>
        Application(id: 11, name: "Lobby", type: type, deviceType: deviceType);

    private static MoveDevice To(ApplicationContext target, ApplicationAccess? access = null) => MoveTo(target, access);

    /// <summary>A device type of each architecture.</summary>
    private static string TypeOf(Architecture architecture) =>
        DeviceType.All.First(t => t.Architecture == architecture).Slug;

    [Theory]
    [MemberData(nameof(ArchitectureRulesTests.EveryPair), MemberType = typeof(ArchitectureRulesTests))]
    public void Device_moves_only_to_an_application_its_architecture_runs(Architecture device, Architecture target, bool moves)
    {
        var source = Application(deviceType: TypeOf(device));
        var mover = Device(source, deviceType: TypeOf(device));
        var context = Context(source, mover);
        var lobby = Lobby(deviceType: TypeOf(target));

        var plan = Plan(To(Context(lobby)), context);
        plan.Run(context);

        Assert.Equal(moves ? null : Skip.WrongArchitecture, Assert.Single(plan.Devices).Skip);
        Assert.Equal(moves ? lobby.Id : source.Id, mover.ApplicationId);
    }

    [Fact]
    public void Moved_device_belongs_to_the_target_at_once()
    {
        var device = OfflineDevice();
        var context = Context(device);

        var plan = Plan(To(Context(Lobby())), context);
        plan.Run(context);

        Assert.Equal("1 will move to Lobby", plan.Summary);
        Assert.Equal(11, device.ApplicationId);
    }

    [Fact]
    public void Mixed_group_moves_the_devices_that_fit_and_skips_the_others()
    {
        var application = Application(deviceType: "raspberrypi3");
        var context = Context(application,
            Device(application, deviceType: "raspberrypi3"), Device(application, deviceType: "beaglebone-black"),
            Device(application, deviceType: "raspberry-pi"));

        var plan = Plan(To(Context(Lobby(deviceType: "beaglebone-black"))), context);

        Assert.Equal("2 will move to Lobby; 1 wrong architecture", plan.Summary);
    }

    public static TheoryData<ApplicationRole?> RolesBelowOperator() => [null, ApplicationRole.Observer];

    [Theory]
    [MemberData(nameof(RolesBelowOperator))]
    public void Move_needs_Operator_on_the_target_too(ApplicationRole? roleOnTarget)
    {
        var device = Device();
        var context = Context(device);

        var plan = Plan(To(Context(Lobby()), Member(roleOnTarget)), context);
        plan.Run(context);

        Assert.Equal(
            $"Moving needs the Operator role on both applications; on Lobby you have {(roleOnTarget is null ? "no role on it" : "the Observer role")}.",
            plan.Decision.Refusal);
        Assert.Equal(TheApplicationId, device.ApplicationId);
    }

    [Fact]
    public void A_move_prepared_with_someone_elses_access_on_the_target_is_not_weighed_at_all()
    {
        var borrowed = To(Context(Lobby()), SupportStaff(grantInForce: true));

        var error = Assert.Throws<FleetDomainException>(() => Plan(borrowed, Context(Device())));

        Assert.Contains("prepared for someone else", error.Message);
    }

    [Fact]
    public void Operator_on_the_target_but_Observer_on_the_source_is_refused_for_the_source()
    {
        var plan = Plan(To(Context(Lobby())), Context(Device()), Member(ApplicationRole.Observer));

        Assert.Equal("Move to another application needs the Operator role on Kiosks; you have the Observer role.", plan.Decision.Refusal);
    }

    [Fact]
    public void Moving_into_the_same_application_is_refused()
    {
        var plan = Plan(To(Context()), Context(Device()));

        Assert.Equal("The devices are already in Kiosks.", plan.Decision.Refusal);
    }

    [Theory]
    [InlineData(3, 5, 2, null)]
    [InlineData(3, 5, 3, 11)]
    [InlineData(0, 10, 1, 11)]
    [InlineData(0, 0, 10, null)]
    public void Moving_into_Starter_keeps_the_organizations_Starter_limit(int elsewhere, int inTarget, int moving, int? wouldMake)
    {
        var starter = Lobby(type: ApplicationType.Starter);
        var target = Context(Organization(), starter, Enumerable.Range(0, inTarget).Select(_ => Device(starter)).ToArray())
            with { StarterDevicesElsewhere = elsewhere };
        var devices = Enumerable.Range(0, moving).Select(_ => OfflineDevice()).ToArray();
        var context = Context(devices);

        var plan = Plan(To(target), context);
        plan.Run(context);

        if (wouldMake is null)
        {
            Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
            Assert.All(devices, d => Assert.Equal(starter.Id, d.ApplicationId));
        }
        else
        {
            Assert.Equal($"Starter applications of Acme hold at most 10 devices together; this move would make {wouldMake}.", plan.Decision.Refusal);
            Assert.All(devices, d => Assert.Equal(TheApplicationId, d.ApplicationId));
        }
    }

    [Fact]
    public void Inactive_devices_count_toward_the_Starter_limit_of_the_target()
    {
        var starter = Lobby(type: ApplicationType.Starter);
        var inTarget = Enumerable.Range(0, 10).Select(_ => OfflineDevice(starter).With(d => d.DeactivatedAt = Now.AddDays(-1))).ToArray();

        var plan = Plan(To(Context(Organization(), starter, inTarget)), Context(OfflineDevice()));

        Assert.Contains("this move would make 11", plan.Decision.Refusal);
    }

    [Fact]
    public void Moving_between_Starter_applications_does_not_count_the_moved_devices_twice()
    {
        // Acme's Starter applications Kiosks (6 devices) and Lobby (4) hold 10 together; moving one of Kiosks'
        // devices to Lobby leaves 10. Lobby's "devices elsewhere" are Kiosks' 6, the moving one among them.
        var kiosks = Application(type: ApplicationType.Starter);
        var kioskDevices = Enumerable.Range(0, 6).Select(_ => OfflineDevice(kiosks)).ToArray();
        var lobby = Lobby(type: ApplicationType.Starter);
        var target = Context(Organization(), lobby, Enumerable.Range(0, 4).Select(_ => Device(lobby)).ToArray())
            with { StarterDevicesElsewhere = kioskDevices.Length };
        var context = Context(Organization(), kiosks, kioskDevices) with { StarterDevicesElsewhere = 4 };

        var plan = FleetPolicy.Plan(Operator(), To(target), context, [kioskDevices[0]]);

        Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
    }

    [Fact]
    public void Moving_into_Essentials_turns_the_public_url_off()
    {
        var device = Device().With(d => d.PublicUrlEnabled = true);
        var context = Context(device);

        Plan(To(Context(Lobby(type: ApplicationType.Essentials))), context).Run(context);

        Assert.False(device.PublicUrlEnabled);
    }

    [Fact]
    public void Moving_elsewhere_keeps_the_public_url()
    {
        var device = Device().With(d => d.PublicUrlEnabled = true);
        var context = Context(device);

        Plan(To(Context(Lobby(type: ApplicationType.Classic))), context).Run(context);

        Assert.True(device.PublicUrlEnabled);
    }

    [Fact]
    public void Move_is_persisted_even_for_an_offline_device()
    {
        Assert.False(To(Context(Lobby())).IsImmediate);
        Assert.Null(SkipOf(To(Context(Lobby())), OfflineDevice()));
    }

    [Fact]
    public void A_move_ends_the_support_access_of_the_moved_devices_only()
    {
        // A grant was given for the device where it was: in its new application it would show the new owner's history.
        var moving = OfflineDevice();
        var staying = Device(deviceType: "intel-nuc");
        var context = Context(moving, staying) with
        {
            SupportGrants =
            [
                new SupportGrant { Id = 1, DeviceId = moving.Id, GrantedBy = "x", GrantedAt = Now.AddHours(-1), Until = Now.AddDays(1) },
                new SupportGrant { Id = 2, DeviceId = staying.Id, GrantedBy = "x", GrantedAt = Now.AddHours(-1), Until = Now.AddDays(1) },
                new SupportGrant { Id = 3, ApplicationId = TheApplicationId, GrantedBy = "x", GrantedAt = Now.AddHours(-1), Until = Now.AddDays(1) },
            ],
        };

        var plan = FleetPolicy.Plan(Operator(), To(Context(Lobby())), context, [moving, staying]);
        plan.Run(context);

        Assert.Equal("1 will move to Lobby; 1 wrong architecture", plan.Summary);
        Assert.Equal([Now, null, null], context.SupportGrants.Select(g => g.RevokedAt));
    }
}
