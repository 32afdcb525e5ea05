namespace FleetDashboard.Agent.Simulation;

/// <summary>
/// The time a simulated device lives in. Everything slow in the simulation (boot, the 10 s kill, download
/// and install progress, heartbeats, polls) is scheduled here, so a test can drive it with
/// <see cref="ManualSimulationClock"/> instead of waiting.
/// </summary>
public abstract class SimulationClock
{
    /// <summary>Wall-clock time, with real timers.</summary>
    public static SimulationClock Real { get; } = new RealSimulationClock();

    public abstract DateTimeOffset Now { get; }

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/>; disposing cancels it.</summary>
    public abstract IDisposable Schedule(TimeSpan delay, Action action);

    /// <summary>
    /// Runs <paramref name="tick"/> again and again, asking <paramref name="interval"/> before each wait
    /// (so a randomised or server-changed interval takes effect on the next round); disposing stops it.
    /// </summary>
    public IDisposable Every(Func<TimeSpan> interval, Action tick) => new Repeating(this, interval, tick);

    private sealed class RealSimulationClock : SimulationClock
    {
        public override DateTimeOffset Now => TimeProvider.System.GetUtcNow();

        // TimeProvider's timers stay rooted while scheduled, so a caller that drops the handle still gets its call.
        public override IDisposable Schedule(TimeSpan delay, Action action) =>
            TimeProvider.System.CreateTimer(_ => action(), null,
                delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
    }

    private sealed class Repeating : IDisposable
    {
        private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(1);

        private readonly SimulationClock _clock;
        private readonly Func<TimeSpan> _interval;
        private readonly Action _tick;
        private readonly Lock _gate = new();
        private IDisposable? _next;
        private bool _stopped;

        public Repeating(SimulationClock clock, Func<TimeSpan> interval, Action tick)
        {
            _clock = clock;
            _interval = interval;
            _tick = tick;
            ScheduleNext();
        }

        private void ScheduleNext()
        {
            lock (_gate)
            {
                if (_stopped) return;
                // Never zero: a zero interval would spin a manual clock's Advance forever.
                var interval = _interval();
                _next = _clock.Schedule(interval < MinimumInterval ? MinimumInterval : interval, Fire);
            }
        }

        private void Fire()
        {
            lock (_gate)
            {
                if (_stopped) return;
            }
            _tick();
            ScheduleNext();
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stopped = true;
                _next?.Dispose();
            }
        }
    }
}
