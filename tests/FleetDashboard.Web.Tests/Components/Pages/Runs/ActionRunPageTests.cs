using FleetDashboard.Web.Actions;
using System.Security.Claims;
using Bunit;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Components.Pages.Runs;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.Runs;

/// <summary>The run page over the real services and a migrated SQLite file.</summary>
public class ActionRunPageTests : ComponentTest
{
    private readonly FleetStore _store = new();
    private readonly DeviceFeed _feed = new(TimeProvider.System);
    private Application _kiosks = null!;
    private ClaimsPrincipal _operator = null!;
    private ClaimsPrincipal _stranger = null!;
    private ActionRun _reboot = null!;

    protected override async Task ArrangeAsync()
    {
        await _store.InitializeAsync();
        var @operator = await _store.UserAsync("operator");
        var acme = await _store.OrganizationAsync("Acme");
        _kiosks = await _store.ApplicationAsync(acme, "kiosks", members: [(@operator, ApplicationRole.Operator)]);
        await _store.DeviceAsync(_kiosks, "kiosk-1");
        await _store.DeviceAsync(_kiosks, "kiosk-2");
        await _store.DeviceAsync(_kiosks, "old-agent", d => d.AgentVersion = new FleetVersion(1, 0, 4));
        _operator = FleetStore.SignedIn(@operator);
        _stranger = FleetStore.SignedIn(await _store.UserAsync("stranger"));
        _reboot = await _store.Actions.RunAsync(_operator, new(new RebootDevice(), DeviceTargets.Application(_kiosks.Id)));

        Services.AddSingleton(_store.Queries);
        Services.AddSingleton(_feed);
        Services.AddSingleton<TimeProvider>(_store.Clock);
    }

    protected override Task DisposeMoreAsync() => _store.DisposeAsync();

    private IRenderedComponent<ActionRunPage> RenderPage(long runId, ClaimsPrincipal user)
    {
        Render<MudPopoverProvider>();
        return Render<ActionRunPage>(ps => ps
            .Add(p => p.RunId, runId)
            .AddCascadingValue(Task.FromResult(new AuthenticationState(user))));
    }

    private static string Count(IRenderedComponent<ActionRunPage> page, string outcome) =>
        page.Find($"#run-counts [data-outcome='{outcome}'] .fleet-outcome-number").TextContent;

    private static string[] Devices(IRenderedComponent<ActionRunPage> page) =>
        page.FindAll(".fleet-outcome-device").Select(d => d.TextContent.Trim()).ToArray();

    [Fact]
    public void The_run_shows_who_what_and_its_counts_per_outcome()
    {
        var page = RenderPage(_reboot.Id, _operator);

        page.WaitForAssertion(() => Assert.Equal(["kiosk-1", "kiosk-2", "old-agent"], Devices(page)));
        Assert.Equal("Reboot", page.Find("#run-action").TextContent);
        Assert.Equal("operator@example.test", page.Find("#run-actor").TextContent);
        Assert.Contains("just now", page.Find("#run-at").TextContent);
        Assert.Contains("2026-11-27 12:00:00 UTC", page.Find("#run-at").TextContent);
        Assert.Equal("kiosks", page.Find("#run-application").TextContent);
        Assert.Equal("3", page.Find("#run-device-count").TextContent);
        Assert.Equal("2", Count(page, "NotNotified"));
        Assert.Equal("1", Count(page, "Refused"));
        Assert.Equal("0", Count(page, "Succeeded"));
        Assert.Empty(page.FindAll("#run-counts [data-outcome='Waiting']"));
        Assert.Empty(page.FindAll("#run-refusal"));
    }

    [Fact]
    public void Clicking_a_count_lists_only_that_outcome()
    {
        var page = RenderPage(_reboot.Id, _operator);
        page.WaitForAssertion(() => Assert.Equal(3, Devices(page).Length));

        page.Find("#run-counts button[data-outcome='Refused']").Click();

        page.WaitForAssertion(() => Assert.Equal(["old-agent"], Devices(page)));
        Assert.Equal(OutcomeKind.Refused, page.Instance.Filter);
        Assert.Contains("agent too old", page.Find(".fleet-outcome-reason").TextContent);

        page.Find("#show-all-outcomes").Click();
        page.WaitForAssertion(() => Assert.Equal(3, Devices(page).Length));
    }

    [Fact]
    public async Task A_refused_run_says_why_prominently()
    {
        var observer = await _store.UserAsync("observer");
        await using (var db = _store.Db())
        {
            db.ApplicationMembers.Add(new ApplicationMember { ApplicationId = _kiosks.Id, UserId = observer.Id, Role = ApplicationRole.Observer });
            await db.SaveChangesAsync();
        }
        var refused = await _store.Actions.RunAsync(FleetStore.SignedIn(observer), new(new RebootDevice(), DeviceTargets.Group(_kiosks.Id, [])));

        var page = RenderPage(refused.Id, _operator);

        page.WaitForAssertion(() => Assert.Contains("No device was chosen.", page.Find("#run-refusal").TextContent));
        page.WaitForAssertion(() => Assert.Contains("refused before it reached any device", page.Find("#no-outcomes").TextContent));
    }

    [Fact]
    public void A_run_the_user_cannot_see_does_not_exist_for_them()
    {
        var page = RenderPage(_reboot.Id, _stranger);

        page.WaitForAssertion(() => Assert.Contains("does not exist or you cannot see it", page.Find("#run-missing").TextContent));
        Assert.DoesNotContain("kiosk", page.Markup);
    }

    [Fact]
    public async Task Outcomes_that_arrive_after_the_page_opened_update_the_counts()
    {
        ActionRun pending;
        await using (var db = _store.Db())
        {
            // Confirmed for two devices, answered by none yet: as a page sees an immediate action in its first second.
            pending = new ActionRun { At = _store.Clock.Now, ActorUserId = "x", ActorEmail = "operator@example.test", ApplicationId = _kiosks.Id, ActionKey = RebootDevice.Reboot.Key, Action = "Reboot", Scope = ActionScope.Group, DeviceCount = 2 };
            db.ActionRuns.Add(pending);
            await db.SaveChangesAsync();
        }
        var page = RenderPage(pending.Id, _operator);
        page.WaitForAssertion(() => Assert.Equal("2", Count(page, "Waiting")));
        await Wait.UntilAsync(() => _feed.SubscriberCount == 1, "the page subscribes to the feed");

        var device = _store.Db().Devices.First(d => d.Name == "kiosk-2");
        await using (var db = _store.Db())
        {
            db.ActionOutcomes.Add(new ActionOutcome { ActionRunId = pending.Id, DeviceId = device.Id, DeviceUuid = device.Uuid, DeviceName = device.Name, Kind = OutcomeKind.Succeeded, At = _store.Clock.Now });
            await db.SaveChangesAsync();
        }
        _feed.Publish(new DeviceEvent(device.Id, _kiosks.Id, _store.Clock.Now) { ActionRunId = pending.Id, Outcome = OutcomeKind.Succeeded });

        page.WaitForAssertion(() => Assert.Equal("1", Count(page, "Succeeded")));
        Assert.Equal("1", Count(page, "Waiting"));
        Assert.Equal(["kiosk-2"], Devices(page));

        await DisposeComponentsAsync();
        Assert.Equal(0, _feed.SubscriberCount);
    }

    [Fact]
    public async Task A_run_cut_off_by_a_restart_stops_waiting_once_the_new_process_closes_its_devices()
    {
        ActionRun cutOff;
        var devices = _store.Db().Devices.Where(d => d.ApplicationId == _kiosks.Id && d.Name.StartsWith("kiosk")).ToList();
        var news = new RunNews(_feed);
        var gone = new RunDeadlines(_store.Factory, Options.Create(new DeliveryOptions()), news, _store.Services.GetRequiredService<DeliveredOutcomes>(), new ThisNode(), _store.Clock);
        await using (var db = _store.Db())
        {
            cutOff = new ActionRun { At = _store.Clock.Now, ActorUserId = "x", ActorEmail = "operator@example.test", ApplicationId = _kiosks.Id, ActionKey = RebootDevice.Reboot.Key, Action = "Reboot", Scope = ActionScope.Group, DeviceCount = 2 };
            db.ActionRuns.Add(cutOff);
            await db.SaveChangesAsync();
            await gone.ExpectAsync(db, cutOff, devices, default);
        }
        var page = RenderPage(cutOff.Id, _operator);
        page.WaitForAssertion(() => Assert.Equal("2", Count(page, "Waiting")));
        Assert.Single(page.FindAll(".fleet-run-waiting .mud-progress-circular"));
        await Wait.UntilAsync(() => _feed.SubscriberCount == 1, "the page subscribes to the feed");

        _store.Clock.Now += new DeliveryOptions().ActionTimeout;
        var restarted = new RunDeadlines(_store.Factory, Options.Create(new DeliveryOptions()), news, _store.Services.GetRequiredService<DeliveredOutcomes>(), new ThisNode(), _store.Clock);
        Assert.Equal(2, await restarted.CloseOverdueAsync(default));

        page.WaitForAssertion(() => Assert.Equal("2", Count(page, "TimedOut")));
        Assert.Empty(page.FindAll(".fleet-run-waiting"));
        Assert.Empty(page.FindAll(".mud-progress-circular"));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".fleet-outcome-reason").Count(r => r.TextContent.Contains(RunDeadlines.Restarted))));
    }
}
