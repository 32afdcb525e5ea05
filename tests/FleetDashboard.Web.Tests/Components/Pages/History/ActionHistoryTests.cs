using FleetDashboard.Web.Actions;
using System.Security.Claims;
using Bunit;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Components.Pages.History;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.History;

/// <summary>The history component over the real services and a migrated SQLite file.</summary>
public class ActionHistoryTests : ComponentTest
{
    private readonly FleetStore _store = new();
    private readonly DeviceFeed _feed = new(TimeProvider.System);
    private Application _kiosks = null!;
    private Device _kiosk1 = null!;
    private ClaimsPrincipal _operator = null!;
    private ClaimsPrincipal _stranger = null!;
    private ActionRun _reboot = null!, _tag = null!;

    protected override async Task ArrangeAsync()
    {
        await _store.InitializeAsync();
        var @operator = await _store.UserAsync("operator");
        var acme = await _store.OrganizationAsync("Acme");
        _kiosks = await _store.ApplicationAsync(acme, "kiosks", members: [(@operator, ApplicationRole.Operator)]);
        _kiosk1 = await _store.DeviceAsync(_kiosks, "kiosk-1");
        await _store.DeviceAsync(_kiosks, "kiosk-2");
        _operator = FleetStore.SignedIn(@operator);
        _stranger = FleetStore.SignedIn(await _store.UserAsync("stranger"));
        _store.Clock.Now = _store.Clock.Now.AddHours(-3);
        _reboot = await _store.Actions.RunAsync(_operator, new(new RebootDevice(), DeviceTargets.Application(_kiosks.Id)));
        _store.Clock.Now = _store.Clock.Now.AddHours(3);
        _tag = await _store.Actions.RunAsync(_operator, new(new SetDeviceTag("site", "north"), DeviceTargets.Device(_kiosks.Id, _kiosk1.Id)));

        Services.AddSingleton(_store.Queries);
        Services.AddSingleton(_feed);
        Services.AddSingleton<TimeProvider>(_store.Clock);
    }

    protected override Task DisposeMoreAsync() => _store.DisposeAsync();

    private IRenderedComponent<ActionHistory> RenderHistory(ClaimsPrincipal user, int? applicationId = null, int? deviceId = null)
    {
        Render<MudPopoverProvider>();
        return Render<ActionHistory>(ps => ps
            .Add(p => p.ApplicationId, applicationId)
            .Add(p => p.DeviceId, deviceId)
            .AddCascadingValue(Task.FromResult(new AuthenticationState(user))));
    }

    private static long[] Runs(IRenderedComponent<ActionHistory> history) =>
        history.FindAll(".fleet-history-run").Select(a => long.Parse(a.GetAttribute("data-run")!)).ToArray();

    [Fact]
    public void The_runs_are_listed_newest_first_with_their_outcomes_and_links()
    {
        var history = RenderHistory(_operator, applicationId: _kiosks.Id);

        history.WaitForAssertion(() => Assert.Equal([_tag.Id, _reboot.Id], Runs(history)));
        Assert.Equal($"runs/{_tag.Id}", history.Find(".fleet-history-run").GetAttribute("href"));
        Assert.Contains("site = north", history.Markup);
        Assert.Contains("3 h ago", history.Markup);
        Assert.Equal("2 action runs", history.Find("#history-summary").TextContent);
        var rebootChips = history.FindAll("tr")[2].QuerySelectorAll(".fleet-outcome");
        Assert.Equal("2", Assert.Single(rebootChips).QuerySelector(".fleet-outcome-number")!.TextContent);
        Assert.Equal("NotNotified", rebootChips[0].GetAttribute("data-outcome"));
    }

    [Fact]
    public void The_export_link_carries_the_filters()
    {
        var history = RenderHistory(_operator, applicationId: _kiosks.Id);
        history.WaitForAssertion(() => Assert.Equal(2, Runs(history).Length));

        history.Find("input#history-text").Input("north");

        history.WaitForAssertion(() => Assert.Equal([_tag.Id], Runs(history)));
        Assert.Equal($"applications/{_kiosks.Id}/history.csv?q=north", history.Find("#history-export").GetAttribute("href"));
        Assert.NotNull(history.Find("#history-export").GetAttribute("download"));
    }

    [Fact]
    public async Task Filters_by_outcome_and_period_narrow_the_list()
    {
        var history = RenderHistory(_operator, applicationId: _kiosks.Id);
        history.WaitForAssertion(() => Assert.Equal(2, Runs(history).Length));

        var component = history.FindComponents<MudSelect<HistoryOutcome?>>().Single();
        await history.InvokeAsync(() => component.Instance.ValueChanged.InvokeAsync(HistoryOutcome.NotNotified));
        history.WaitForAssertion(() => Assert.Equal([_reboot.Id], Runs(history)));
        Assert.Equal(HistoryOutcome.NotNotified, history.Instance.Filter.Outcome);

        await history.InvokeAsync(() => component.Instance.ValueChanged.InvokeAsync(null));
        var period = history.FindComponents<MudSelect<HistoryPeriod>>().Single();
        await history.InvokeAsync(() => period.Instance.ValueChanged.InvokeAsync(HistoryPeriod.LastHour));
        history.WaitForAssertion(() => Assert.Equal([_tag.Id], Runs(history)));

        history.Find("input#history-actor").Input("nobody");
        history.WaitForAssertion(() => Assert.Contains("No action run matches these filters", history.Find("#no-runs").TextContent));
    }

    [Fact]
    public void A_device_history_shows_the_devices_own_outcome()
    {
        var history = RenderHistory(_operator, deviceId: _kiosk1.Id);

        history.WaitForAssertion(() => Assert.Equal([_tag.Id, _reboot.Id], Runs(history)));
        var own = history.FindAll(".fleet-history-own");
        Assert.Equal("Succeeded", own[0].QuerySelector(".fleet-outcome")!.GetAttribute("data-outcome"));
        Assert.Contains("offline", own[1].TextContent);
        Assert.Equal($"devices/{_kiosk1.Id}/history.csv", history.Find("#history-export").GetAttribute("href"));
    }

    [Fact]
    public void A_history_the_user_cannot_see_does_not_exist_for_them()
    {
        var history = RenderHistory(_stranger, applicationId: _kiosks.Id);

        history.WaitForAssertion(() => Assert.Contains("does not exist or you cannot see it", history.Find("#history-missing").TextContent));
    }

    [Fact]
    public async Task A_new_run_appears_without_a_reload()
    {
        var history = RenderHistory(_operator, applicationId: _kiosks.Id);
        history.WaitForAssertion(() => Assert.Equal(2, Runs(history).Length));
        await history.InvokeAsync(() => { });
        await Wait.UntilAsync(() => _feed.SubscriberCount == 1, "the history subscribes to the feed");

        var run = await _store.Actions.RunAsync(_operator, new(new SetLocalMode(true), DeviceTargets.Device(_kiosks.Id, _kiosk1.Id)));
        // What the service publishes for the run's outcome (it has a feed of its own in this store).
        _feed.Publish(new DeviceEvent(_kiosk1.Id, _kiosks.Id, _store.Clock.Now) { ActionRunId = run.Id, Outcome = OutcomeKind.Succeeded });

        history.WaitForAssertion(() => Assert.Equal([run.Id, _tag.Id, _reboot.Id], Runs(history)));
    }
}
