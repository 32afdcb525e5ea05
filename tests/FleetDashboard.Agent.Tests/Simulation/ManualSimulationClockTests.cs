using FleetDashboard.Agent.Simulation;

namespace FleetDashboard.Agent.Tests.Simulation;

public class ManualSimulationClockTests
{
    [Fact]
    public void Advance_runs_what_falls_due_in_time_order_including_what_those_actions_schedule()
    {
        var clock = new ManualSimulationClock();
        var ran = new List<string>();
        clock.Schedule(TimeSpan.FromSeconds(2), () => ran.Add("b"));
        clock.Schedule(TimeSpan.FromSeconds(1), () =>
        {
            ran.Add("a");
            clock.Schedule(TimeSpan.FromSeconds(0.5), () => ran.Add("a+"));
        });
        clock.Schedule(TimeSpan.FromSeconds(3), () => ran.Add("later"));

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(["a", "a+", "b"], ran);
        Assert.Equal(1, clock.PendingCount);
    }

    [Fact]
    public void A_cancelled_action_never_runs()
    {
        var clock = new ManualSimulationClock();
        var ran = false;
        clock.Schedule(TimeSpan.FromSeconds(1), () => ran = true).Dispose();

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.False(ran);
    }

    [Fact]
    public void Every_repeats_until_disposed()
    {
        var clock = new ManualSimulationClock();
        var ticks = 0;
        var repeating = clock.Every(() => TimeSpan.FromSeconds(10), () => ticks++);

        clock.Advance(TimeSpan.FromSeconds(35));
        repeating.Dispose();
        clock.Advance(TimeSpan.FromSeconds(100));

        Assert.Equal(3, ticks);
        Assert.Equal(0, clock.PendingCount);
    }
}
