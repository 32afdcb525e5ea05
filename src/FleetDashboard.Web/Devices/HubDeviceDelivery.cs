using System.Runtime.CompilerServices;
using System.Threading.Channels;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

public sealed class DeliveryOptions
{
    /// <summary>How long a device has to answer an immediate action before it is recorded as timed out.</summary>
    public TimeSpan ActionTimeout { get; set; } = DeviceProtocol.ActionTimeout;

    /// <summary>The reason of a device that did not answer in time.</summary>
    public string NoAnswer => $"no answer within {ActionTimeout.TotalSeconds:0} s";
}

/// <summary>
/// Delivery over the devices' live connections. An immediate action goes to every targeted device at once;
/// each answer is yielded as it arrives. Those connected to other nodes go to their nodes first, in one message for
/// each node (<see cref="Cluster.DeliveryRelay"/>), then this node sends to its own. A device with no open connection is
/// never notified, and nothing is queued for it.
/// </summary>
public sealed class HubDeviceDelivery(DeviceCommands commands, DeviceConnections connections, DeviceNudges nudges,
    Cluster.NudgeRelay? nudgeRelay = null, Cluster.DeliveryRelay? deliveryRelay = null) : IDeviceDelivery
{
    public async IAsyncEnumerable<DeliveryOutcome> DeliverAsync(long actionRunId, ImmediateDeviceAction action,
        IReadOnlyList<Device> devices, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var command = new ActionCommand(DeviceProtocol.Version, actionRunId, action.Command, action.Force);
        var answers = Channel.CreateUnbounded<DeliveryOutcome>();
        var here = new List<int>();
        var elsewhere = new List<int>();
        foreach (var device in devices) (connections.IsConnected(device.Id) ? here : elsewhere).Add(device.Id);
        // The other nodes' share first: it is one look-up and a message per node, and then they send while this one does.
        var sent = new List<Task>();
        if (deliveryRelay is not null && elsewhere.Count > 0)
            sent.Add(deliveryRelay.DeliverAsync(command, elsewhere, answers.Writer, cancellationToken));
        else
            foreach (var id in elsewhere) answers.Writer.TryWrite(new DeliveryOutcome(id, Skip.Offline.Kind, Skip.Offline.Reason));
        sent.AddRange(here.Select(RunHereAsync));
        _ = Task.WhenAll(sent).ContinueWith(done => answers.Writer.Complete(done.Exception), TaskScheduler.Default);
        await foreach (var answer in answers.Reader.ReadAllAsync(cancellationToken))
            yield return answer;

        async Task RunHereAsync(int id) => answers.Writer.TryWrite(await commands.RunAsync(id, command, cancellationToken));
    }

    /// <summary>
    /// Connected devices fetch their target state at once; a device that may no longer connect (deleted, orphaned)
    /// has its connection cut instead, on whichever node holds it: those not here go to the other nodes.
    /// </summary>
    public async Task NudgeAsync(IReadOnlyCollection<int> deviceIds, CancellationToken cancellationToken)
    {
        if (nudgeRelay is not null)
        {
            var elsewhere = deviceIds.Where(id => !connections.IsConnected(id)).ToList();
            if (elsewhere.Count > 0) nudgeRelay.Send(elsewhere);
        }
        await nudges.NudgeHereAsync(deviceIds, cancellationToken);
    }
}
