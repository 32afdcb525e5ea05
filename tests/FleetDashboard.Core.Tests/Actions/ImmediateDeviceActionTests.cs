using FleetDashboard.Core.Actions;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3: restart application, purge data, reboot and shutdown travel over the live connection.</summary>
public class ImmediateDeviceActionTests
{
    public static TheoryData<string> EveryImmediateAction() => ["restart", "purge", "reboot", "shutdown"];

    public static TheoryData<string> PowerActions() => ["purge", "reboot", "shutdown"];

    private static ImmediateDeviceAction Action(string name, bool force = false) => name switch
    {
        "restart" => new RestartApplication(force),
        "purge" => new PurgeData(force),
        "reboot" => new RebootDevice(force),
        "shutdown" => new ShutdownDevice(force),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(EveryImmediateAction))]
    public void Online_device_runs_it(string action)
    {
        Assert.Null(SkipOf(Action(action), Device()));
    }

    [Theory]
    [MemberData(nameof(EveryImmediateAction))]
    public void Offline_device_is_not_notified(string action)
    {
        var skip = SkipOf(Action(action), OfflineDevice());

        Assert.Equal(Skip.Offline, skip);
        Assert.Equal("not notified: offline", skip!.ToString());
    }

    [Theory]
    [MemberData(nameof(EveryImmediateAction))]
    public void Device_online_only_by_a_fresh_heartbeat_runs_it(string action)
    {
        var device = OfflineDevice().With(d => d.LastContactAt = Now.AddMinutes(-5));

        Assert.Null(SkipOf(Action(action), device));
    }

    [Theory]
    [MemberData(nameof(EveryImmediateAction))]
    public void Immediate_actions_are_marked_immediate(string action)
    {
        Assert.True(Action(action).IsImmediate);
    }

    [Theory]
    [MemberData(nameof(PowerActions))]
    public void Agent_older_than_1_1_0_is_too_old_for_power_actions(string action)
    {
        var skip = SkipOf(Action(action), Device(agent: "1.0.9"));

        Assert.Equal(Skip.AgentTooOld, skip);
        Assert.Equal("refused: agent too old", skip!.ToString());
    }

    [Theory]
    [MemberData(nameof(PowerActions))]
    public void Agent_1_1_0_is_new_enough_for_power_actions(string action)
    {
        Assert.Null(SkipOf(Action(action), Device(agent: "v1.1.0")));
    }

    [Fact]
    public void Restart_application_runs_on_any_agent()
    {
        Assert.Null(SkipOf(new RestartApplication(), Device(agent: "0.9.0")));
    }

    [Theory]
    [MemberData(nameof(EveryImmediateAction))]
    public void Held_update_lock_refuses_it(string action)
    {
        var skip = SkipOf(Action(action), Device().With(d => d.UpdateLockHeld = true));

        Assert.Equal(Skip.LockHeld, skip);
        Assert.Equal("refused: update lock held", skip!.ToString());
    }

    [Theory]
    [MemberData(nameof(EveryImmediateAction))]
    public void Forcing_goes_past_a_held_update_lock(string action)
    {
        var forced = Action(action, force: true);

        Assert.Null(SkipOf(forced, Device().With(d => d.UpdateLockHeld = true)));
        Assert.Equal("forced past update locks", forced.Options);
    }

    [Theory]
    [MemberData(nameof(EveryImmediateAction))]
    public void Lock_override_goes_past_a_held_update_lock(string action)
    {
        var device = Device().With(d => { d.UpdateLockHeld = true; d.LockOverride = true; });

        Assert.Null(SkipOf(Action(action), device));
    }

    [Theory]
    [MemberData(nameof(EveryImmediateAction))]
    public void Deactivated_device_refuses_it(string action)
    {
        var skip = SkipOf(Action(action), Device().With(d => d.DeactivatedAt = Now.AddDays(-1)));

        Assert.Equal(Skip.Inactive, skip);
        Assert.Equal("refused: device deactivated", skip!.ToString());
    }

    [Theory]
    [MemberData(nameof(EveryImmediateAction))]
    public void Running_it_changes_nothing_in_the_record_because_the_device_does_the_work(string action)
    {
        var device = Device().With(d => d.UpdateLockHeld = true);
        var context = Context(device);
        var plan = Plan(Action(action, force: true), context);

        var effects = plan.Run(context);

        Assert.Empty(effects.Added);
        Assert.Empty(effects.Removed);
        Assert.True(device.UpdateLockHeld);
        Assert.Equal(TheApplicationId, device.ApplicationId);
    }
}
