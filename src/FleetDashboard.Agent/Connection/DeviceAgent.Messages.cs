using System.Threading.Channels;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Agent.Connection;

public sealed partial class DeviceAgent
{
    // Requests that pile up while one is being served collapse into one: a storm of progress changes
    // becomes one report with the latest state, and a burst of nudges one fetch.
    private readonly Channel<bool> _reportWanted = CoalescingChannel();
    private readonly Channel<bool> _targetStateWanted = CoalescingChannel();

    // The last report the server acknowledged, and on which connection: nothing is sent twice on one connection.
    private (int ConnectionCount, DeviceReport Report)? _lastReport;

    // Reports in a row the server did not acknowledge: the back-off before the next try grows with them.
    private long _reportFailures;

    /// <summary>Fetches the target state now (as on a nudge or a poll).</summary>
    public void PollNow() => _targetStateWanted.Writer.TryWrite(true);

    private void RequestReport() => _reportWanted.Writer.TryWrite(true);

    private async Task<ActionResult> RunActionAsync(ActionCommand command)
    {
        if (command.ProtocolVersion > DeviceProtocol.Version)
            return new ActionResult(ActionResultKind.Failed,
                $"the agent speaks protocol version {DeviceProtocol.Version}, not {command.ProtocolVersion}");
        // Reboot and shutdown answer at once; the connection closes after the answer is out (see DropForPowerCycleAsync).
        var answering = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _answering, answering.Task);
        try
        {
            return await Device.RunAsync(command.Command, command.Force);
        }
        finally
        {
            answering.TrySetResult();
        }
    }

    // The answer being worked out for the server, if any: a power cycle waits for it before it drops the line.
    private Task _answering = Task.CompletedTask;

    private async Task SendReportsAsync(CancellationToken stopping)
    {
        await foreach (var _ in _reportWanted.Reader.ReadAllAsync(stopping))
        {
            if (_connection.State != HubConnectionState.Connected || !Device.IsUp) continue;
            var connectionCount = ConnectionCount;
            var report = Device.ToReport();
            if (_lastReport is { } last && last.ConnectionCount == connectionCount && last.Report == report) continue;
            try
            {
                await _connection.InvokeAsync(DeviceProtocol.Report, report, stopping);
                _lastReport = (connectionCount, report);
                _reportFailures = 0;
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                // Not acknowledged means not stored (the server's store may be out): the latest state is sent again
                // after a back-off, on this connection or, if it is lost meanwhile, on the next one, which reports afresh.
                _logger.LogDebug(error, "Device {Device}: report not delivered; sending it again later.", Identity);
                _options.Clock.Schedule(_backoff.DelayAfter(_reportFailures++), RequestReport);
            }
        }
    }

    private async Task FollowTargetStateAsync(CancellationToken stopping)
    {
        await foreach (var _ in _targetStateWanted.Reader.ReadAllAsync(stopping))
        {
            if (_connection.State != HubConnectionState.Connected || !Device.IsUp) continue;
            try
            {
                var target = await _connection.InvokeAsync<TargetState?>(DeviceProtocol.FetchTargetState, stopping);
                if (target is null) continue;
                if (!Device.ApplyTargetState(target))
                    _logger.LogWarning("Device {Device}: target state of protocol version {Version} ignored; this agent speaks {Own}.",
                        Identity, target.ProtocolVersion, DeviceProtocol.Version);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                // The next nudge, poll or connection asks again.
                _logger.LogDebug(error, "Device {Device}: target state not fetched.", Identity);
            }
        }
    }

    private void SendHeartbeat()
    {
        if (_connection.State != HubConnectionState.Connected || !Device.IsUp) return;
        _ = HeartbeatAsync();

        async Task HeartbeatAsync()
        {
            try
            {
                await _connection.InvokeAsync(DeviceProtocol.Heartbeat, _stopping.Token);
            }
            catch (Exception error)
            {
                _logger.LogDebug(error, "Device {Device}: heartbeat not delivered.", Identity);
            }
        }
    }

    /// <summary>The server's poll interval (or the options' override), randomised ×0.5–1.5 so a fleet does not poll in step.</summary>
    private TimeSpan NextPollWait()
    {
        var interval = _options.PollInterval ?? Device.PollInterval;
        return _options.Scale(interval * (0.5 + Random.Shared.NextDouble()));
    }

    private static Channel<bool> CoalescingChannel() =>
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
}
