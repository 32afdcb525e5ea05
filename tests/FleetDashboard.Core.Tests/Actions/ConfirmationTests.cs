using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>What runs is what a person confirmed: the plan they saw and the name they typed (issue 11, finding 1 and 9).</summary>
public class ConfirmationTests
{
    private static ActionPlan PlanOver(DeviceAction action, params Device[] devices) => Plan(action, Context(devices));

    [Fact]
    public void The_plan_that_was_shown_runs()
    {
        var devices = new[] { Device(), OfflineDevice() };
        var shown = PlanOver(new RebootDevice(), devices);

        var now = PlanOver(new RebootDevice(), devices).ConfirmedBy(Confirmation.Of(shown));

        Assert.True(now.Decision.IsAllowed);
        Assert.Equal(1, now.RunCount);
    }

    [Fact]
    public void A_selection_that_grew_since_the_confirmation_is_refused_for_every_device()
    {
        var first = Device(name: "kiosk-1");
        var shown = PlanOver(new PurgeData(), first);
        var grown = new[] { first }.Concat(Enumerable.Range(0, 20).Select(_ => Device())).ToArray();

        var now = PlanOver(new PurgeData(), grown).ConfirmedBy(Confirmation.Of(shown, "Kiosks"));

        Assert.Equal("The selection changed: 21 devices now, 1 when you confirmed; review the plan again.", now.Decision.Refusal);
        Assert.Equal(0, now.RunCount);
        Assert.All(now.Devices, d => Assert.Equal(OutcomeKind.Refused, d.Skip!.Kind));
    }

    [Fact]
    public void A_device_that_came_online_since_changes_the_plan()
    {
        var waking = OfflineDevice();
        var devices = new[] { Device(), waking };
        var shown = PlanOver(new RebootDevice(), devices);
        waking.ConnectedAt = Now.AddMinutes(-1);
        waking.LastContactAt = Now;

        var now = PlanOver(new RebootDevice(), devices).ConfirmedBy(Confirmation.Of(shown));

        Assert.Equal("The plan changed: 2 of them would run now, 1 when you confirmed; review the plan again.", now.Decision.Refusal);
    }

    [Fact]
    public void As_many_devices_but_other_ones_is_refused_too()
    {
        var shown = PlanOver(new RebootDevice(), Device());

        var now = PlanOver(new RebootDevice(), Device()).ConfirmedBy(Confirmation.Of(shown));

        Assert.Equal("The selection changed: as many devices as when you confirmed, but not the same ones; review the plan again.", now.Decision.Refusal);
    }

    [Theory]
    [InlineData(null, "Shutdown needs Kiosks typed to confirm it; nothing was done.")]
    [InlineData("kiosks", "\"kiosks\" is not Kiosks; nothing was done.")]
    [InlineData(" Kiosks ", null)]
    public void A_name_to_type_must_be_typed_exactly_by_every_caller(string? typed, string? refusal)
    {
        var devices = new[] { Device(), Device() };
        var shown = PlanOver(new ShutdownDevice(), devices);

        Assert.Equal(refusal, PlanOver(new ShutdownDevice(), devices).ConfirmedBy(Confirmation.Of(shown, typed)).Decision.Refusal);
        Assert.Equal(refusal, PlanOver(new ShutdownDevice(), devices).ConfirmedBy(new Confirmation(typed)).Decision.Refusal);
    }

    [Fact]
    public void Without_a_confirmation_what_destroys_is_refused_and_what_does_not_runs()
    {
        Assert.False(PlanOver(new PurgeData(), Device()).ConfirmedBy(null).Decision.IsAllowed);
        Assert.True(PlanOver(new RebootDevice(), Device()).ConfirmedBy(null).Decision.IsAllowed);
    }

    [Fact]
    public void A_refused_plan_keeps_its_own_refusal()
    {
        var refused = Plan(new RebootDevice(), Context(Device()), Member(ApplicationRole.Observer));

        Assert.Same(refused, refused.ConfirmedBy(new Confirmation("anything")));
    }

    [Fact]
    public void An_action_on_the_application_is_confirmed_by_its_name_whatever_devices_came_since()
    {
        var shown = FleetPolicy.Plan(OrganizationAdministrator(), new DeleteApplication(), Context(Device()));

        var now = FleetPolicy.Plan(OrganizationAdministrator(), new DeleteApplication(), Context(Device(), Device()))
            .ConfirmedBy(Confirmation.Of(shown, "Kiosks"));

        Assert.True(now.Decision.IsAllowed);
    }

    [Fact]
    public void A_plan_seen_refused_does_not_run_once_it_would_be_allowed()
    {
        var device = Device();
        var seen = Plan(new RebootDevice(), Context(device), Member(ApplicationRole.Observer));

        var now = PlanOver(new RebootDevice(), device).ConfirmedBy(Confirmation.Of(seen));

        Assert.Equal("The plan changed: 1 of them would run now, 0 when you confirmed; review the plan again.", now.Decision.Refusal);
    }

    [Fact]
    public void An_application_action_with_other_options_than_confirmed_is_refused()
    {
        var seen = FleetPolicy.Plan(OrganizationAdministrator(), new RenameApplication("Lobby"), Context());

        var now = FleetPolicy.Plan(OrganizationAdministrator(), new RenameApplication("Shelf"), Context()).ConfirmedBy(Confirmation.Of(seen));

        Assert.Equal("Rename application as it stands now is not what you confirmed (it was refused, or its options differ); review the plan again.",
            now.Decision.Refusal);
    }
}
