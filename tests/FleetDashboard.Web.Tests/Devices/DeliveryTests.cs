using FleetDashboard.Web.Actions;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using FleetDashboard.Testing;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>Immediate actions and settings delivered end to end, with every outcome kind.</summary>
public sealed class DeliveryTests(StrictDeviceServer server) : IClassFixture<StrictDeviceServer>
{
    private async Task<(TestDevice Device, int Id)> ConnectedAsync(Fleet fleet, string agent = "1.4.2")
    {
        var registered = await fleet.RegisterAsync(agent: agent);
        var id = await fleet.DeviceIdAsync(registered.Uuid);
        var device = await TestDevice.ConnectAsync(server.BaseAddress, registered.Credential);
        await Wait.UntilAsync(async () =>
        {
            await using var db = await server.DbAsync();
            return await db.Devices.AnyAsync(d => d.Id == id && d.ConnectedAt != null);
        }, "the device to be recorded as connected");
        return (device, id);
    }

    private async Task<string> OutcomeAsync(long runId, int deviceId)
    {
        await using var db = await server.DbAsync();
        return (await db.ActionOutcomes.SingleAsync(o => o.ActionRunId == runId && o.DeviceId == deviceId)).ToString();
    }

    [Theory]
    [InlineData("restart", DeviceCommand.Restart)]
    [InlineData("purge", DeviceCommand.Purge)]
    [InlineData("reboot", DeviceCommand.Reboot)]
    [InlineData("shutdown", DeviceCommand.Shutdown)]
    public async Task Every_immediate_action_reaches_an_online_device_and_its_answer_is_recorded(string name, DeviceCommand expected)
    {
        var fleet = await server.FleetAsync($"immediate-{name}");
        var (device, id) = await ConnectedAsync(fleet);
        await using var _ = device;
        ImmediateDeviceAction action = expected switch
        {
            DeviceCommand.Restart => new RestartApplication(),
            DeviceCommand.Purge => new PurgeData(),
            DeviceCommand.Reboot => new RebootDevice(),
            _ => new ShutdownDevice(),
        };

        var run = await server.Actions.ConfirmedRunAsync(fleet.Operator, new(action, DeviceTargets.Device(fleet.ApplicationId, id)));

        var command = Assert.Single(device.Commands);
        Assert.Equal(expected, command.Command);
        Assert.Equal(run.Id, command.ActionRunId);
        Assert.Equal("succeeded", await OutcomeAsync(run.Id, id));
    }

    [Fact]
    public async Task An_offline_device_is_not_notified_and_nothing_waits_for_it()
    {
        var fleet = await server.FleetAsync("offline");
        var registered = await fleet.RegisterAsync();
        var id = await fleet.DeviceIdAsync(registered.Uuid);
        await (await TestDevice.ConnectAsync(server.BaseAddress, registered.Credential)).DisposeAsync();
        await Wait.UntilAsync(() => !server.Services.GetRequiredService<DeviceConnections>().IsConnected(id), "the device to be gone");

        // The server saw its connection close: it is offline, and never notified.
        var run = await server.Actions.RunAsync(fleet.Operator, new(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, id)));

        Assert.Equal("not notified: offline", await OutcomeAsync(run.Id, id));
        await using var again = await TestDevice.ConnectAsync(server.BaseAddress, registered.Credential);
        await Wait.UntilAsync(() => server.Services.GetRequiredService<DeviceConnections>().IsConnected(id), "the device to be back");
        Assert.Empty(again.Commands);
    }

    [Fact]
    public async Task An_old_agent_is_refused_power_actions_without_being_asked()
    {
        var fleet = await server.FleetAsync("old-agent");
        var (device, id) = await ConnectedAsync(fleet, agent: "1.0.4");
        await using var _ = device;

        var run = await server.Actions.ConfirmedRunAsync(fleet.Operator, new(new PurgeData(), DeviceTargets.Device(fleet.ApplicationId, id)));

        Assert.Equal("refused: agent too old", await OutcomeAsync(run.Id, id));
        Assert.Empty(device.Commands);
    }

    [Fact]
    public async Task A_held_update_lock_refuses_until_the_operator_forces_it()
    {
        var fleet = await server.FleetAsync("lock");
        var (device, id) = await ConnectedAsync(fleet);
        await using var _ = device;
        device.Answer = command => Task.FromResult(command.Force ? ActionResult.Succeeded : ActionResult.LockHeld);

        var held = await server.Actions.RunAsync(fleet.Operator, new(new RestartApplication(), DeviceTargets.Device(fleet.ApplicationId, id)));
        var forced = await server.Actions.RunAsync(fleet.Operator, new(new RestartApplication(Force: true), DeviceTargets.Device(fleet.ApplicationId, id)));

        Assert.Equal("refused: update lock held", await OutcomeAsync(held.Id, id));
        Assert.Equal("succeeded", await OutcomeAsync(forced.Id, id));
        Assert.Equal([false, true], device.Commands.OrderBy(c => c.ActionRunId).Select(c => c.Force));
    }

    [Fact]
    public async Task A_device_that_does_not_answer_in_time_is_recorded_as_timed_out()
    {
        var fleet = await server.FleetAsync("silent");
        var (device, id) = await ConnectedAsync(fleet);
        await using var _ = device;
        var never = new TaskCompletionSource<ActionResult>();
        device.Answer = _ => never.Task;

        var run = await server.Actions.RunAsync(fleet.Operator, new(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, id)));

        Assert.StartsWith("timed out", await OutcomeAsync(run.Id, id));
        never.SetResult(ActionResult.Succeeded);
    }

    [Fact]
    public async Task A_setting_reaches_a_connected_device_at_once_and_an_offline_one_when_it_returns()
    {
        var fleet = await server.FleetAsync("settings");
        var (online, onlineId) = await ConnectedAsync(fleet);
        await using var _ = online;
        var away = await fleet.RegisterAsync();
        var awayId = await fleet.DeviceIdAsync(away.Uuid);

        var run = await server.Actions.RunAsync(fleet.Operator, new(new SetPublicUrl(true), DeviceTargets.Group(fleet.ApplicationId, [onlineId, awayId])));

        Assert.Null(run.Refusal);
        Assert.True(await online.Nudges.WaitAsync(TimeSpan.FromSeconds(5)), "the connected device was nudged");
        var target = await online.Connection.InvokeAsync<TargetState>(DeviceProtocol.FetchTargetState);
        Assert.True(target.PublicUrl);
        Assert.Equal(fleet.ApplicationId, target.ApplicationId);

        await using var returning = await TestDevice.ConnectAsync(server.BaseAddress, away.Credential);
        Assert.True((await returning.Connection.InvokeAsync<TargetState>(DeviceProtocol.FetchTargetState)).PublicUrl);
    }

    [Fact]
    public async Task Outcomes_are_recorded_as_they_arrive_while_a_slower_device_is_still_awaited()
    {
        var fleet = await server.FleetAsync("as-they-come");
        var (quick, quickId) = await ConnectedAsync(fleet);
        var (slow, slowId) = await ConnectedAsync(fleet);
        await using var _ = quick;
        await using var __ = slow;
        var later = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        slow.Answer = _ => later.Task;

        var running = server.Actions.RunAsync(fleet.Operator, new(new RestartApplication(), DeviceTargets.Application(fleet.ApplicationId)));
        await Wait.UntilAsync(async () =>
        {
            await using var db = await server.DbAsync();
            return await db.ActionOutcomes.AnyAsync(o => o.DeviceId == quickId);
        }, "the quick device's outcome to be recorded before the slow one answers");
        Assert.False(running.IsCompleted);
        later.SetResult(ActionResult.Succeeded);
        var run = await running;

        Assert.Equal("succeeded", await OutcomeAsync(run.Id, slowId));
    }

    [Fact]
    public async Task A_group_action_fans_out_to_every_device_at_once()
    {
        var fleet = await server.FleetAsync("fan-out");
        var devices = new List<(TestDevice Device, int Id)>();
        for (var i = 0; i < 20; i++) devices.Add(await ConnectedAsync(fleet));
        var release = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var (device, _) in devices) device.Answer = _ => release.Task;

        // Every device must hold the command before any answers: only concurrent delivery gets there.
        var running = server.Actions.RunAsync(fleet.Operator, new(new RestartApplication(), DeviceTargets.Application(fleet.ApplicationId)));
        await Wait.UntilAsync(() => devices.All(d => d.Device.Commands.Count == 1), "every device to hold the restart");
        release.SetResult(ActionResult.Succeeded);
        var run = await running;

        await using var db = await server.DbAsync();
        Assert.Equal(20, await db.ActionOutcomes.CountAsync(o => o.ActionRunId == run.Id && o.Kind == OutcomeKind.Succeeded));
        foreach (var (device, _) in devices) await device.DisposeAsync();
    }

    [Fact]
    public async Task Started_from_the_browser_a_run_returns_once_recorded_and_its_outcomes_follow()
    {
        var fleet = await server.FleetAsync("started");
        var (device, id) = await ConnectedAsync(fleet);
        await using var _ = device;
        var release = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        device.Answer = _ => release.Task;

        // The device has not answered, yet the run is back: the person watches the rest on the run page.
        var started = await server.Actions.StartAsync(fleet.Operator, new(new RebootDevice(), DeviceTargets.Device(fleet.ApplicationId, id)));

        Assert.True(started.Delivering);
        Assert.Empty(started.Outcomes);
        await Wait.UntilAsync(() => device.Commands.Count == 1, "the device to hold the reboot");
        release.SetResult(ActionResult.Succeeded);
        await Wait.UntilAsync(async () =>
        {
            await using var db = await server.DbAsync();
            return await db.ActionOutcomes.AnyAsync(o => o.ActionRunId == started.Id && o.DeviceId == id);
        }, "the reboot's outcome to be recorded");
        Assert.Equal("succeeded", await OutcomeAsync(started.Id, id));
    }
}
