using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Tests.Actions;

/// <summary>Targets stored with their run, and closed once their deadline passed: exactly once, whoever writes first.</summary>
public sealed class RunDeadlinesTests : IAsyncLifetime
{
    private static readonly TimeSpan Window = new DeliveryOptions().ActionTimeout;
    private readonly HeldDelivery _held = new();
    private readonly FleetStore _store;

    public RunDeadlinesTests() => _store = new FleetStore { Delivery = _held };

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync()
    {
        _held.Release();
        await _store.DisposeAsync();
    }

    private RunDeadlines Deadlines => _store.Services.GetRequiredService<RunDeadlines>();

    /// <summary>The deadlines of a process that is gone (another boot id), over the same store.</summary>
    private RunDeadlines Gone() => new(_store.Factory, Options.Create(new DeliveryOptions()), _store.Services.GetRequiredService<RunNews>(),
        _store.Services.GetRequiredService<DeliveredOutcomes>(), new ThisNode(), _store.Clock);

    private async Task<(ActionRun Run, List<Device> Devices)> ExpectedAsync(RunDeadlines by, int devices)
    {
        var application = await _store.ApplicationAsync(await _store.OrganizationAsync($"org {Guid.NewGuid():N}"), "fleet");
        var targets = new List<Device>();
        for (var i = 0; i < devices; i++) targets.Add(await _store.DeviceAsync(application, $"device-{i}"));
        var run = new ActionRun
        {
            At = _store.Clock.Now, ActorUserId = "someone", ActorEmail = "someone@example.test", ApplicationId = application.Id,
            ActionKey = "reboot", Action = "Reboot", Scope = ActionScope.Group, DeviceCount = devices,
        };
        await using var db = _store.Db();
        db.ActionRuns.Add(run);
        await db.SaveChangesAsync();
        await by.ExpectAsync(db, run, targets, default);
        return (run, targets);
    }

    private async Task<List<ActionOutcome>> OutcomesAsync(long runId)
    {
        await using var db = _store.Db();
        return await db.ActionOutcomes.AsNoTracking().Where(o => o.ActionRunId == runId).OrderBy(o => o.DeviceId).ToListAsync();
    }

    private async Task<int> TargetsAsync(long runId)
    {
        await using var db = _store.Db();
        return await db.RunTargets.CountAsync(t => t.ActionRunId == runId);
    }

    private static ActionOutcome Answer(ActionRun run, Device device, DateTimeOffset at) =>
        ActionRecording.Outcome(device, OutcomeKind.Succeeded, null, at, run.Id);

    [Fact]
    public async Task A_device_that_never_answers_is_closed_as_timed_out_once_its_deadline_and_the_live_margin_passed()
    {
        var (run, devices) = await ExpectedAsync(Deadlines, 2);

        Assert.Equal(0, await Deadlines.CloseOverdueAsync(default));
        _store.Clock.Now += Window;
        // This process's own delivery still has its moment to record the answer itself.
        Assert.Equal(0, await Deadlines.CloseOverdueAsync(default));
        _store.Clock.Now += RunDeadlines.LiveMargin;
        Assert.Equal(2, await Deadlines.CloseOverdueAsync(default));
        Assert.Equal(0, await Deadlines.CloseOverdueAsync(default));

        var outcomes = await OutcomesAsync(run.Id);
        Assert.Equal(devices.Select(d => d.Id), outcomes.Select(o => o.DeviceId));
        Assert.All(outcomes, o => Assert.Equal($"timed out: no answer within {Window.TotalSeconds:0} s", o.ToString()));
        Assert.Equal(0, await TargetsAsync(run.Id));
    }

    [Fact]
    public async Task An_answer_before_the_close_stays_and_one_after_it_is_dropped()
    {
        var (run, devices) = await ExpectedAsync(Deadlines, 2);
        await using (var db = _store.Db())
            Assert.Single(await RunOutcomes.AppendAsync(db, [Answer(run, devices[0], _store.Clock.Now)], default));

        _store.Clock.Now += Window + RunDeadlines.LiveMargin;
        Assert.Equal(1, await Deadlines.CloseOverdueAsync(default));
        await using (var db = _store.Db())
            Assert.Empty(await RunOutcomes.AppendAsync(db, [Answer(run, devices[0], _store.Clock.Now), Answer(run, devices[1], _store.Clock.Now)], default));

        Assert.Equal(["succeeded", $"timed out: no answer within {Window.TotalSeconds:0} s"], (await OutcomesAsync(run.Id)).Select(o => o.ToString()));
    }

    [Fact]
    public async Task A_device_sent_to_by_a_process_that_is_gone_is_closed_as_interrupted_once_its_deadline_passed()
    {
        var (run, _) = await ExpectedAsync(Gone(), 3);

        _store.Clock.Now += Window - TimeSpan.FromSeconds(1);
        Assert.Equal(0, await Deadlines.CloseOverdueAsync(default));
        _store.Clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal(3, await Deadlines.CloseOverdueAsync(default));

        Assert.All(await OutcomesAsync(run.Id), o => Assert.Equal($"timed out: {RunDeadlines.Restarted}", o.ToString()));
    }

    [Fact]
    public async Task A_graceful_stop_closes_this_process_s_open_targets_and_leaves_another_s_to_their_deadline()
    {
        var (ours, _) = await ExpectedAsync(Deadlines, 2);
        var (theirs, _) = await ExpectedAsync(Gone(), 1);

        Assert.Equal(2, await Deadlines.CloseOursAsync(default));

        Assert.All(await OutcomesAsync(ours.Id), o => Assert.Equal($"timed out: {RunDeadlines.Stopped}", o.ToString()));
        Assert.Empty(await OutcomesAsync(theirs.Id));
        Assert.Equal(1, await TargetsAsync(theirs.Id));
    }

    [Fact]
    public async Task When_answers_and_the_close_race_every_device_gets_exactly_one_outcome()
    {
        var (run, devices) = await ExpectedAsync(Gone(), 300);
        _store.Clock.Now += Window;

        // Answers in small batches, as the delivery writes them, against the close, all at once.
        var answering = devices.Chunk(10).Select(async batch =>
        {
            await using var db = _store.Db();
            return (await RunOutcomes.AppendAsync(db, batch.Select(d => Answer(run, d, _store.Clock.Now)).ToList(), default)).Count;
        }).ToList();
        var closing = Deadlines.CloseOverdueAsync(default);
        var written = (await Task.WhenAll(answering)).Sum() + await closing;

        Assert.Equal(300, written);
        var outcomes = await OutcomesAsync(run.Id);
        Assert.Equal(devices.Select(d => d.Id), outcomes.Select(o => o.DeviceId));
        Assert.Equal(0, await Deadlines.CloseOverdueAsync(default));
    }

    [Fact]
    public async Task A_reboot_stores_its_targets_before_the_command_goes_out_and_a_late_answer_does_not_add_a_second_outcome()
    {
        var user = await _store.UserAsync("operator");
        var application = await _store.ApplicationAsync(await _store.OrganizationAsync("Acme"), "fleet", members: (user, ApplicationRole.Operator));
        var devices = new[] { await _store.DeviceAsync(application, "a"), await _store.DeviceAsync(application, "b") };
        var storedWhenSent = -1;
        _held.OnSend = async runId => storedWhenSent = await TargetsAsync(runId);

        var started = await _store.Actions.StartAsync(FleetStore.SignedIn(user),
            new(new RebootDevice(), DeviceTargets.Group(application.Id, devices.Select(d => d.Id).ToList())));
        await Wait.UntilAsync(_held.Sent.Task, "the reboot to be sent");
        Assert.Equal(2, storedWhenSent);

        _store.Clock.Now += Window + RunDeadlines.LiveMargin;
        Assert.Equal(2, await Deadlines.CloseOverdueAsync(default));
        _held.Release();
        await _store.Services.GetRequiredService<RunDelivery>().DrainAsync(Wait.DefaultTimeout, default);

        Assert.All(await OutcomesAsync(started.Id), o => Assert.Equal(OutcomeKind.TimedOut, o.Kind));
        Assert.Equal(2, (await OutcomesAsync(started.Id)).Count);
    }

    [Fact]
    public async Task A_graceful_stop_waits_for_the_deliveries_in_flight_then_closes_the_rest_as_interrupted()
    {
        var user = await _store.UserAsync("operator");
        var application = await _store.ApplicationAsync(await _store.OrganizationAsync("Acme"), "fleet", members: (user, ApplicationRole.Operator));
        var device = await _store.DeviceAsync(application, "a");
        var started = await _store.Actions.StartAsync(FleetStore.SignedIn(user),
            new(new RebootDevice(), DeviceTargets.Device(application.Id, device.Id)));
        await Wait.UntilAsync(_held.Sent.Task, "the reboot to be sent");
        var watch = new RunDeadlineWatch(Deadlines, _store.Services.GetRequiredService<RunDelivery>(), _store.Clock,
            NullLogger<RunDeadlineWatch>.Instance);

        await watch.StopAsync(default);

        Assert.Equal($"timed out: {RunDeadlines.Stopped}", Assert.Single(await OutcomesAsync(started.Id)).ToString());
    }

    [Fact]
    public async Task A_reboot_confirmed_while_the_server_stops_is_not_sent_and_is_closed_as_interrupted()
    {
        var user = await _store.UserAsync("operator");
        var application = await _store.ApplicationAsync(await _store.OrganizationAsync("Acme"), "fleet", members: (user, ApplicationRole.Operator));
        var device = await _store.DeviceAsync(application, "a");
        var delivery = _store.Services.GetRequiredService<RunDelivery>();
        await delivery.DrainAsync(TimeSpan.FromSeconds(1), default);

        var started = await _store.Actions.RunAsync(FleetStore.SignedIn(user), new(new RebootDevice(), DeviceTargets.Device(application.Id, device.Id)));
        Assert.Equal(1, await Deadlines.CloseOursAsync(default));

        Assert.False(_held.Sent.Task.IsCompleted);
        Assert.Equal($"timed out: {RunDeadlines.Stopped}", Assert.Single(await OutcomesAsync(started.Id)).ToString());
    }
}
