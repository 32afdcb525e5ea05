using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Actions;

/// <summary>The server killed in the middle of a reboot's fan-out, and started again over the same file.</summary>
public sealed class ServerRestartTests : IAsyncLifetime
{
    /// <summary>Long enough that the first process is killed well before its own deliveries would time out.</summary>
    private static readonly TimeSpan AnswerWindow = TimeSpan.FromSeconds(20);

    private readonly FleetDataFolder _data = new();
    private readonly List<TestDevice> _devices = [];

    private FleetDbContext Db() => _data.Db();

    private async Task<TestDevice> ConnectAsync(ChildServer server, string provisioningKey, bool answers)
    {
        var registered = await Fleet.RegisterAsync(server.Address, provisioningKey, "raspberrypi4-64");
        var device = await TestDevice.ConnectAsync(server.Address, registered.Credential);
        // A silent device hears the command and never answers.
        if (!answers) device.Answer = _ => new TaskCompletionSource<ActionResult>().Task;
        _devices.Add(device);
        return device;
    }

    private async Task<List<ActionOutcome>> OutcomesAsync(long runId)
    {
        await using var db = Db();
        return await db.ActionOutcomes.AsNoTracking().Where(o => o.ActionRunId == runId).ToListAsync();
    }

    [Fact]
    public async Task After_a_kill_mid_fan_out_and_a_restart_every_targeted_device_has_exactly_one_outcome_and_the_run_waits_on_none()
    {
        long runId;
        List<TestDevice> answering = [], silent = [];
        await using (var first = await ChildServer.StartAsync(_data.Path, AnswerWindow))
        {
            var fleet = (await first.AskAsync("fleet")).Split(' ');
            for (var i = 0; i < 3; i++) answering.Add(await ConnectAsync(first, fleet[1], answers: true));
            for (var i = 0; i < 20; i++) silent.Add(await ConnectAsync(first, fleet[1], answers: false));
            await Wait.UntilAsync(async () =>
            {
                await using var db = Db();
                return await db.Devices.CountAsync(d => d.ConnectedAt != null) == 23;
            }, "the 23 devices to be recorded as connected");

            runId = long.Parse(await first.AskAsync("reboot"), System.Globalization.CultureInfo.InvariantCulture);
            await Wait.UntilAsync(async () => silent.All(d => !d.Commands.IsEmpty) && (await OutcomesAsync(runId)).Count == 3,
                "the silent devices to hear the reboot and the others' answers to be recorded");
            await first.KillAsync();
        }
        await using (var db = Db())
            Assert.Equal(23, await db.RunTargets.CountAsync(t => t.ActionRunId == runId));
        Assert.Equal(3, (await OutcomesAsync(runId)).Count);

        await using var second = await ChildServer.StartAsync(_data.Path, AnswerWindow);

        await Wait.UntilAsync(async () => (await OutcomesAsync(runId)).Count >= 23, "every targeted device to have its outcome",
            AnswerWindow + TimeSpan.FromMinutes(1));
        var outcomes = await OutcomesAsync(runId);
        Assert.All(outcomes.GroupBy(o => o.DeviceId), device => Assert.Single(device));
        Assert.Equal(3, outcomes.Count(o => o.Kind == OutcomeKind.Succeeded));
        Assert.Equal(20, outcomes.Count(o => o.ToString() == $"timed out: {RunDeadlines.Restarted}"));
        await using (var db = Db())
        {
            var run = await db.ActionRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
            // What the run page counts: nothing is left waiting.
            Assert.Equal(0, OutcomeCounts.From(outcomes.GroupBy(o => o.Kind).Select(g => (g.Key, g.Count())), run.DeviceCount).Waiting);
            Assert.Equal(0, await db.RunTargets.CountAsync(t => t.ActionRunId == runId));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var device in _devices) await device.DisposeAsync();
        _data.Dispose();
    }
}
