using System.Runtime.CompilerServices;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Devices;

namespace FleetDashboard.Web.Tests.Actions;

/// <summary>
/// Devices that hear an immediate action and answer "succeeded" only when the test lets them: an answer as late as a
/// test needs, or never.
/// </summary>
public sealed class HeldDelivery : IDeviceDelivery
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called as the command goes out, before any answer: what the store holds at that moment.</summary>
    public Func<long, Task>? OnSend { get; set; }

    /// <summary>The run whose command went out.</summary>
    public TaskCompletionSource<long> Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _released.TrySetResult();

    public async IAsyncEnumerable<DeliveryOutcome> DeliverAsync(long actionRunId, ImmediateDeviceAction action,
        IReadOnlyList<Device> devices, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (OnSend is { } onSend) await onSend(actionRunId);
        Sent.TrySetResult(actionRunId);
        await _released.Task.WaitAsync(cancellationToken);
        foreach (var device in devices) yield return new DeliveryOutcome(device.Id, OutcomeKind.Succeeded);
    }

    public Task NudgeAsync(IReadOnlyCollection<int> deviceIds, CancellationToken cancellationToken) => Task.CompletedTask;
}
