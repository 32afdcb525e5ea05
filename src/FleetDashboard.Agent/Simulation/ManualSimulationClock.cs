namespace FleetDashboard.Agent.Simulation;

/// <summary>
/// A clock that moves only when told to. <see cref="Advance"/> runs every action that falls due, in time
/// order and on the caller's thread (including actions scheduled by those actions), so a test sees the
/// device's state after exactly that much simulated time.
/// </summary>
public sealed class ManualSimulationClock(DateTimeOffset? start = null) : SimulationClock
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _pending = [];
    private DateTimeOffset _now = start ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _sequence;

    public override DateTimeOffset Now
    {
        get { lock (_gate) return _now; }
    }

    /// <summary>How many actions are waiting, for tests that check nothing is left behind.</summary>
    public int PendingCount
    {
        get { lock (_gate) return _pending.Count; }
    }

    public override IDisposable Schedule(TimeSpan delay, Action action)
    {
        lock (_gate)
        {
            var entry = new Entry(this, _now + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay), _sequence++, action);
            _pending.Add(entry);
            return entry;
        }
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset until;
        lock (_gate) until = _now + by;

        while (true)
        {
            Entry? due;
            lock (_gate)
            {
                // Earliest first; equal instants in the order they were scheduled.
                due = _pending.Where(e => e.DueAt <= until)
                    .OrderBy(e => e.DueAt).ThenBy(e => e.Sequence).FirstOrDefault();
                if (due is null)
                {
                    _now = until;
                    return;
                }
                _pending.Remove(due);
                if (due.DueAt > _now) _now = due.DueAt;
            }
            // Outside the clock's lock: the action may schedule more, or take the device's lock.
            due.Action();
        }
    }

    private sealed class Entry(ManualSimulationClock clock, DateTimeOffset dueAt, long sequence, Action action)
        : IDisposable
    {
        public DateTimeOffset DueAt { get; } = dueAt;
        public long Sequence { get; } = sequence;
        public Action Action { get; } = action;

        public void Dispose()
        {
            lock (clock._gate) clock._pending.Remove(this);
        }
    }
}
