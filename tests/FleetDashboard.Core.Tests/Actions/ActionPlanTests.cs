using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §6: before an action on many devices, the operator sees how many will run and why others will not.</summary>
public class ActionPlanTests
{
    private static Device[] Many(int count, Func<Device> make) => Enumerable.Range(0, count).Select(_ => make()).ToArray();

    [Fact]
    public void Reboot_over_a_hundred_devices_says_how_many_will_run_and_why_the_others_will_not()
    {
        var fine = Many(83, () => Device());
        var offline = Many(12, () => OfflineDevice());
        var tooOld = Many(5, () => Device(agent: "1.0.4"));
        var context = Context([.. fine, .. offline, .. tooOld]);

        var plan = Plan(new RebootDevice(), context);

        Assert.True(plan.Decision.IsAllowed);
        Assert.Equal(100, plan.Devices.Count);
        Assert.Equal(83, plan.RunCount);
        Assert.Equal(fine, plan.ToRun);
        Assert.Equal([(Skip.Offline, 12), (Skip.AgentTooOld, 5)], plan.Skipped);
        Assert.Equal("83 will reboot; 12 offline will not be notified; 5 agent too old", plan.Summary);
    }

    [Fact]
    public void Skipped_reasons_are_listed_most_common_first()
    {
        var context = Context([
            Device().With(d => d.DeactivatedAt = Now),
            .. Many(3, () => Device().With(d => d.UpdateLockHeld = true)),
            .. Many(2, () => Device(agent: "1.0.0")),
            OfflineDevice(),
        ]);

        var plan = Plan(new ShutdownDevice(), context);

        Assert.Equal("0 will shut down; 3 update lock held; 2 agent too old; 1 device deactivated; 1 offline will not be notified", plan.Summary);
    }

    [Fact]
    public void Plan_with_every_device_running_names_only_the_count()
    {
        Assert.Equal("2 will purge their data", Plan(new PurgeData(), Context(Device(), Device())).Summary);
    }

    [Fact]
    public void Refused_role_skips_every_device_with_the_refusal_as_its_reason()
    {
        var devices = Many(4, () => Device());

        var plan = Plan(new RebootDevice(), Context(devices), Member(ApplicationRole.Observer));

        const string refusal = "Reboot needs the Operator role on Kiosks; you have the Observer role.";
        Assert.Equal(refusal, plan.Decision.Refusal);
        Assert.Equal(refusal, plan.Summary);
        Assert.Equal(0, plan.RunCount);
        Assert.Empty(plan.ToRun);
        Assert.All(plan.Devices, d => Assert.Equal($"refused: {refusal}", d.Skip!.ToString()));
        Assert.Equal([(Skip.Refused(refusal), 4)], plan.Skipped);
    }

    [Fact]
    public void Refused_scope_skips_every_device_even_those_that_would_have_run()
    {
        var application = Application(type: ApplicationType.Essentials);
        var plan = Plan(new SetPublicUrl(true), Context(application, Device(application), Device(application)));

        Assert.All(plan.Devices, d => Assert.Equal(Skip.Refused("Essentials applications have no public device URLs."), d.Skip));
    }

    [Fact]
    public void Device_of_another_application_is_a_broken_invariant()
    {
        var stranger = Device(Application(id: 11, name: "Lobby"));
        var context = Context(Device());

        var error = Assert.Throws<FleetDomainException>(() => FleetPolicy.Plan(Operator(), new RebootDevice(), context, [context.Devices[0], stranger]));

        Assert.Equal($"Device {stranger.ShortUuid} is not in Kiosks.", error.Message);
    }

    [Fact]
    public void Orphaned_device_is_in_no_application_and_cannot_be_planned()
    {
        var orphan = OfflineDevice().With(d => d.Orphan(Now));

        Assert.Throws<FleetDomainException>(() => FleetPolicy.Plan(Operator(), new DeleteDevice(), Context(orphan), [orphan]));
    }

    [Fact]
    public void Device_of_another_application_throws_even_for_someone_without_a_role()
    {
        var stranger = Device(Application(id: 11, name: "Lobby"));

        Assert.Throws<FleetDomainException>(() => FleetPolicy.Plan(Member(null), new RebootDevice(), Context(), [stranger]));
    }

    [Fact]
    public void Planning_changes_nothing()
    {
        var device = Device().With(d => d.UpdateLockHeld = true);

        var plan = Plan(new SetLockOverride(true), Context(device));

        Assert.Equal(1, plan.RunCount);
        Assert.True(device.UpdateLockHeld);
        Assert.False(device.LockOverride);
    }

    [Theory]
    [InlineData(OutcomeKind.Succeeded, null, "succeeded")]
    [InlineData(OutcomeKind.Failed, "disk full", "failed: disk full")]
    [InlineData(OutcomeKind.NotNotified, "offline", "not notified: offline")]
    [InlineData(OutcomeKind.Refused, "wrong architecture", "refused: wrong architecture")]
    [InlineData(OutcomeKind.TimedOut, null, "timed out")]
    public void Outcome_reads_as_the_history_shows_it(OutcomeKind kind, string? reason, string text)
    {
        Assert.Equal(text, Outcomes.Describe(kind, reason));
    }
}
