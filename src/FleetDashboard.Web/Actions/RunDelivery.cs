using System.Collections.Concurrent;
using System.Threading.Channels;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Operations;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// The deliver stage: carries a recorded run to its devices. An immediate action goes over their live
/// connections and each answer is recorded as it arrives; a changed setting or target state is a nudge that
/// connected devices answer by fetching it. Every targeted device ends with exactly one outcome.
/// </summary>
public sealed class RunDelivery(IDbContextFactory<FleetDbContext> dbs, IDeviceDelivery delivery, RunDeadlines deadlines, RunNews news,
    DeliveredOutcomes delivered, FleetMetrics metrics, ILogger<RunDelivery> logger, TimeProvider clock)
{
    /// <summary>The runs whose answers are being recorded now, for a graceful stop to wait for.</summary>
    private readonly ConcurrentDictionary<long, Task> _answering = new();
    private volatile bool _stopping;

    /// <summary>
    /// The record stage's last step, in its transaction: the devices an immediate action will go to are stored with
    /// the run, each with its deadline, before anything is sent (<see cref="RunDeadlines"/>).
    /// </summary>
    public Task ExpectAnswersAsync(FleetDbContext db, RecordedPlan recorded, CancellationToken ct) =>
        recorded.Immediate is null ? Task.CompletedTask : deadlines.ExpectAsync(db, recorded.Run, recorded.ToDeliver, ct);

    public async Task DeliverAsync(RecordedPlan recorded)
    {
        if (recorded.Immediate is { } immediate && recorded.ToDeliver.Count > 0)
        {
            // A stopping server sends nothing more: the devices would act on a command whose run it closes as interrupted.
            if (_stopping) return;
            // Whatever is logged while this run is delivered (the store's errors too) says which run it was.
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = recorded.Run.Id });
            metrics.RunStarted();
            var answering = RecordAnswersAsync(recorded.Run, immediate, recorded.ToDeliver);
            _answering[recorded.Run.Id] = answering;
            try
            {
                await answering;
            }
            finally
            {
                _answering.TryRemove(recorded.Run.Id, out _);
                metrics.RunFinished();
            }
        }
        else if (recorded.ToNudge.Count > 0)
            await delivery.NudgeAsync(recorded.ToNudge, CancellationToken.None);
    }

    /// <summary>
    /// A graceful stop: sends nothing more, and waits up to <paramref name="limit"/> for the answers being recorded now.
    /// What is still open then is closed by <see cref="RunDeadlines.CloseOursAsync"/>; a delivery's own failure was
    /// logged where it started.
    /// </summary>
    public async Task DrainAsync(TimeSpan limit, CancellationToken ct)
    {
        _stopping = true;
        try
        {
            await Task.WhenAll(_answering.Values).WaitAsync(limit, clock, ct);
        }
        catch (Exception)
        {
            // Whatever ended the wait (the limit, the host's own, a delivery's failure), what is left is closed next.
        }
    }

    /// <summary>
    /// Records each answer as it arrives: whatever has arrived is written at once, so the history is live even
    /// while a silent device is still being waited for; under a storm of answers the writes gather into batches
    /// by themselves. A device the delivery never answers for is recorded as timed out.
    /// </summary>
    private async Task RecordAnswersAsync(ActionRun run, ImmediateDeviceAction action, IReadOnlyList<Device> devices)
    {
        var waiting = devices.ToDictionary(d => d.Id);
        var arrived = Channel.CreateUnbounded<DeliveryOutcome>(new UnboundedChannelOptions { SingleReader = true });
        var listening = Task.Run(async () =>
        {
            try
            {
                await foreach (var delivered in delivery.DeliverAsync(run.Id, action, devices, CancellationToken.None))
                    arrived.Writer.TryWrite(delivered);
            }
            finally
            {
                arrived.Writer.TryComplete();
            }
        });

        var batch = new List<ActionOutcome>();
        await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
        try
        {
            while (await arrived.Reader.WaitToReadAsync())
            {
                while (batch.Count < 500 && arrived.Reader.TryRead(out var delivered))
                    if (waiting.Remove(delivered.DeviceId, out var device)) // one answer per device, from the devices asked
                        batch.Add(ActionRecording.Outcome(device, delivered.Kind, delivered.Reason, clock.GetUtcNow(), run.Id));
                await FlushAsync(db);
            }
            await listening;
        }
        finally
        {
            // Whatever happened above (a failed write, a failed delivery), no device goes without an outcome: what a
            // failed write left in the batch, and every device not answered for, are written by a fresh context.
            batch.AddRange(waiting.Values.Select(d =>
                ActionRecording.Outcome(d, OutcomeKind.TimedOut, "no answer from the delivery", clock.GetUtcNow(), run.Id)));
            await using var last = await dbs.CreateDbContextAsync(CancellationToken.None);
            await FlushAsync(last);
        }

        async Task FlushAsync(FleetDbContext to)
        {
            if (batch.Count == 0) return;
            // A device whose deadline passed may have been closed already (RunDeadlines): its late answer is dropped.
            var appended = await RunOutcomes.AppendAsync(to, batch, CancellationToken.None);
            news.Outcomes(run, appended, changedDevices: false);
            delivered.Recorded(appended);
            batch.Clear();
        }
    }
}

/// <summary>
/// Tells open pages about runs: a recorded run is news for the pages showing its application (its header, its
/// history), its outcomes for those showing the run or the devices.
/// </summary>
public sealed class RunNews(DeviceFeed feed)
{
    /// <param name="changedDevices">A succeeded outcome changed the device's record (a setting, a move).</param>
    /// <param name="alsoApplicationId">Another application whose pages show it (a move's target: its devices appear there at once).</param>
    public void Recorded(ActionRun run, bool changedDevices, int? alsoApplicationId = null)
    {
        foreach (var applicationId in new[] { run.ApplicationId, alsoApplicationId }.Where(a => a is not null).Distinct())
            feed.Publish(new DeviceEvent(DeviceEvent.TheApplication, applicationId, run.At) { ActionRunId = run.Id, ChangedDevice = changedDevices });
        Outcomes(run, run.Outcomes, changedDevices);
    }

    public void Outcomes(ActionRun run, IEnumerable<ActionOutcome> outcomes, bool changedDevices) =>
        Outcomes(run.Id, run.ApplicationId, outcomes, changedDevices);

    public void Outcomes(long runId, int? applicationId, IEnumerable<ActionOutcome> outcomes, bool changedDevices)
    {
        foreach (var outcome in outcomes)
            feed.Publish(new DeviceEvent(outcome.DeviceId, applicationId, outcome.At)
            {
                ActionRunId = runId, Outcome = outcome.Kind, Reason = outcome.Reason,
                ChangedDevice = changedDevices && outcome.Kind == OutcomeKind.Succeeded,
            });
    }
}
