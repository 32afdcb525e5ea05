namespace FleetDashboard.Web.Devices.PublicUrls;

/// <summary>
/// Public URL requests take turns per device: one at a time goes to the device, a few more wait their turn, the rest
/// are turned away. The agent's SignalR client runs the server's calls in order, so a second request sent at once
/// would only queue on the device, out of the server's sight, and hold up that device's actions behind it.
/// </summary>
public sealed class DeviceTurns
{
    private readonly Dictionary<int, Queue> _byDevice = [];
    private readonly Lock _gate = new();
    private int _total;

    /// <summary>One device's line: the turn itself, and how many hold a place in the line.</summary>
    public sealed class Queue
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);
        internal int Places;
    }

    /// <summary>A place in the device's line, or null when it (or the whole server) has as many as it may.</summary>
    public Queue? TryJoin(int deviceId, int mostPerDevice, int mostInAll)
    {
        lock (_gate)
        {
            if (_total >= mostInAll) return null;
            if (!_byDevice.TryGetValue(deviceId, out var queue)) _byDevice[deviceId] = queue = new Queue();
            if (queue.Places >= mostPerDevice) return null;
            queue.Places++;
            _total++;
            return queue;
        }
    }

    public void Leave(int deviceId, Queue queue)
    {
        lock (_gate)
        {
            _total--;
            if (--queue.Places == 0) _byDevice.Remove(deviceId);
        }
    }
}
