using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;

namespace FleetDashboard.Web.Devices;

/// <summary>Something about one device that open pages may want to show at once.</summary>
public sealed record DeviceEvent(int DeviceId, int? ApplicationId, DateTimeOffset At)
{
    public DeviceStatus? Status { get; init; }
    public DeviceProgress? Progress { get; init; }
    public int? ProgressPercent { get; init; }

    /// <summary>Set when the event is an action outcome: the run it belongs to.</summary>
    public long? ActionRunId { get; init; }
    public OutcomeKind? Outcome { get; init; }
    public string? Reason { get; init; }

    /// <summary>
    /// Set when the outcome changed the device's record (a setting, a move), so that lists showing the device
    /// reload; the outcome of an immediate action changes nothing there until the device reports.
    /// </summary>
    public bool ChangedDevice { get; init; }

    /// <summary>The <see cref="DeviceId"/> of an event about the application itself: a run was recorded for it.</summary>
    public const int TheApplication = 0;

    public bool IsAboutTheApplication => DeviceId == TheApplication;

    /// <summary>
    /// Whether lists and counts of devices may change with this event: a status report, a changed record or a run
    /// recorded for an application do; the outcome of an immediate action changes nothing there until the device reports
    /// (a 10,000-device reboot is not a reason to reload a list ten times a second).
    /// </summary>
    public bool ChangesDeviceLists => ActionRunId is null || ChangedDevice || IsAboutTheApplication;

    /// <summary>Events with the same key replace each other while they wait to be delivered.</summary>
    internal (int, long) Key => (DeviceId, ActionRunId ?? 0);
}

/// <summary>
/// The one in-process feed of device events that pages subscribe to. Each subscriber gets batches: while
/// a batch waits, a newer event about the same device replaces the older one, so a storm of reports
/// becomes at most one render per window, never a queue that grows. The first event after a quiet window
/// goes out at once (a lone change should not wait: benchmark B5); only what follows it gathers. A subscriber
/// that goes away (disposed, or its handler throws) leaves nothing behind.
/// </summary>
public sealed class DeviceFeed(TimeProvider clock)
{
    /// <summary>The least time between two batches to one subscriber: well under SPEC §5's one second.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _clock = clock;
    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscriptions = [];

    public int SubscriberCount
    {
        get { lock (_gate) return _subscriptions.Count; }
    }

    /// <summary>Calls <paramref name="onBatch"/> with the events that <paramref name="wants"/> accepts, coalesced.</summary>
    public IDisposable Subscribe(Func<DeviceEvent, bool> wants, Func<IReadOnlyList<DeviceEvent>, Task> onBatch)
    {
        var subscription = new Subscription(this, wants, onBatch);
        lock (_gate) _subscriptions.Add(subscription);
        return subscription;
    }

    /// <summary>Set on one of several nodes: carries each event published here to the others (it must not block).</summary>
    public Action<DeviceEvent>? Relay { get; set; }

    public void Publish(DeviceEvent deviceEvent)
    {
        Relay?.Invoke(deviceEvent);
        PublishHere(deviceEvent);
    }

    /// <summary>An event from another node: to this node's pages, and no further.</summary>
    public void PublishHere(DeviceEvent deviceEvent)
    {
        Subscription[] current;
        lock (_gate) current = [.. _subscriptions];
        foreach (var subscription in current)
        {
            bool wanted;
            try
            {
                wanted = subscription.Wants(deviceEvent);
            }
            catch (Exception)
            {
                // A subscriber whose filter breaks is dropped; the device and every other page go on.
                subscription.Dispose();
                continue;
            }
            if (wanted) subscription.Offer(deviceEvent);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate) _subscriptions.Remove(subscription);
    }

    private sealed class Subscription(DeviceFeed feed, Func<DeviceEvent, bool> wants, Func<IReadOnlyList<DeviceEvent>, Task> onBatch)
        : IDisposable
    {
        private readonly Lock _gate = new();
        private Dictionary<(int, long), DeviceEvent> _pending = [];
        private bool _scheduled;
        private bool _disposed;
        private long? _lastBatchAt; // the clock's timestamp when the last batch was taken

        public bool Wants(DeviceEvent deviceEvent) => wants(deviceEvent);

        public void Offer(DeviceEvent deviceEvent)
        {
            lock (_gate)
            {
                if (_disposed) return;
                _pending[deviceEvent.Key] = deviceEvent;
                if (_scheduled) return;
                _scheduled = true;
            }
            // Off the publisher's thread: a device's write must not wait on a page.
            _ = Task.Run(DeliverAsync);
        }

        private async Task DeliverAsync()
        {
            // One batch at a time: events that arrive while the subscriber handles a batch wait for the next,
            // and the next is taken no sooner than a window after the last.
            while (true)
            {
                var wait = _lastBatchAt is { } last ? Window - feed._clock.GetElapsedTime(last) : TimeSpan.Zero;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, feed._clock);
                Dictionary<(int, long), DeviceEvent> batch;
                lock (_gate)
                {
                    if (_disposed) return;
                    (batch, _pending) = (_pending, []);
                    _lastBatchAt = feed._clock.GetTimestamp();
                }
                try
                {
                    await onBatch([.. batch.Values]);
                }
                catch (Exception)
                {
                    // The page behind this subscription is gone (its circuit closed): stop feeding it.
                    Dispose();
                    return;
                }
                lock (_gate)
                {
                    if (_pending.Count == 0 || _disposed)
                    {
                        _scheduled = false;
                        return;
                    }
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _pending.Clear();
            }
            feed.Remove(this);
        }
    }
}
