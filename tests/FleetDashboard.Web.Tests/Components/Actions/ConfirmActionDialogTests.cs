using FleetDashboard.Web.Actions;
using System.Security.Claims;
using Bunit;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Components.Actions;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Actions;

/// <summary>The confirmation over the real services and a migrated SQLite file: the plan, the warnings, the typed name.</summary>
public class ConfirmActionDialogTests : ComponentTest
{
    private readonly FleetStore _store = new();
    private readonly DeviceFeed _feed = new(TimeProvider.System);
    private Application _kiosks = null!;
    private Application _sensors = null!;
    private Device _current = null!;
    private Device _old = null!;
    private ClaimsPrincipal _operator = null!;
    private ClaimsPrincipal _administrator = null!;

    protected override async Task ArrangeAsync()
    {
        await _store.InitializeAsync();
        var @operator = await _store.UserAsync("operator");
        var administrator = await _store.UserAsync("admin");
        var acme = await _store.OrganizationAsync("Acme", members: [(administrator, OrganizationRole.Administrator)]);
        _kiosks = await _store.ApplicationAsync(acme, "kiosks", members: [(@operator, ApplicationRole.Operator)]);
        _sensors = await _store.ApplicationAsync(acme, "sensors", ApplicationType.Essentials, members: [(@operator, ApplicationRole.Operator)]);
        _current = await _store.DeviceAsync(_kiosks, "kiosk-1");
        _old = await _store.DeviceAsync(_kiosks, "kiosk-2", d => (d.AgentVersion, d.HostOsVersion) = (new FleetVersion(1, 0, 4), new FleetVersion(2, 9, 0)));
        await _store.DeviceAsync(_sensors, "sensor-1");
        (_operator, _administrator) = (FleetStore.SignedIn(@operator), FleetStore.SignedIn(administrator));

        Services.AddSingleton(_store.Actions);
        Services.AddSingleton(_store.Queries);
        Services.AddSingleton(_feed);
    }

    protected override Task DisposeMoreAsync() => _store.DisposeAsync();

    private async Task<(IRenderedComponent<MudDialogProvider> Dialog, IDialogReference Reference)> OpenAsync(
        string choice, DeviceTargets targets, ClaimsPrincipal user, string confirmName)
    {
        var provider = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<ConfirmActionDialog>(choice, new DialogParameters<ConfirmActionDialog>
        {
            { d => d.Kind, ActionCatalog.All.Single(k => k.Title == choice) },
            { d => d.Targets, targets },
            { d => d.User, user },
            { d => d.TargetDescription, confirmName },
        }));
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("#plan-summary, #plan-refusal")));
        return (provider, reference!);
    }

    private static bool ConfirmEnabled(IRenderedComponent<MudDialogProvider> dialog) => !dialog.Find("#action-confirm").HasAttribute("disabled");

    [Fact]
    public async Task A_group_reboot_shows_the_plan_and_what_a_reboot_does()
    {
        var (dialog, _) = await OpenAsync("Reboot", DeviceTargets.Group(_kiosks.Id, [_current.Id, _old.Id]), _operator, "kiosks");

        Assert.Equal("1 will reboot; 1 agent too old", dialog.Find("#plan-summary").TextContent.Trim());
        Assert.Contains("power-cycled", dialog.Find("#action-warnings").TextContent);
        Assert.Contains("1 device", dialog.Find("#action-confirm").TextContent);
        Assert.True(ConfirmEnabled(dialog));
        Assert.Empty(dialog.FindAll("#typed-name"));
    }

    [Fact]
    public async Task Purge_on_a_group_counts_who_loses_named_volumes_and_asks_for_the_typed_name()
    {
        await using (var db = _store.Db())
            await db.Devices.Where(d => d.Id == _old.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.AgentVersion, new FleetVersion(1, 4, 2)));

        var (dialog, _) = await OpenAsync("Purge data", DeviceTargets.Group(_kiosks.Id, [_current.Id, _old.Id]), _operator, "kiosks");

        var warnings = dialog.Find("#action-warnings").TextContent;
        Assert.Contains("1 device on host OS 2.12.0 or later: every named volume is deleted", warnings);
        Assert.Contains("1 device on host OS before 2.12.0: /data is cleared", warnings);
        Assert.False(ConfirmEnabled(dialog));
        dialog.Find("#typed-name").Input("kiosks");
        dialog.WaitForAssertion(() => Assert.True(ConfirmEnabled(dialog)));
    }

    [Fact]
    public async Task Deleting_a_device_waits_for_its_name_then_the_service_deletes_it()
    {
        var (dialog, reference) = await OpenAsync("Delete device", DeviceTargets.Device(_kiosks.Id, _current.Id), _operator, "kiosk-1");

        Assert.Contains("cannot be undone", dialog.Find("#action-warnings").TextContent);
        dialog.Find("#typed-name").Input("kiosk-");
        dialog.WaitForAssertion(() => Assert.False(ConfirmEnabled(dialog)));
        dialog.Find("#typed-name").Input("kiosk-1");
        dialog.WaitForAssertion(() => Assert.True(ConfirmEnabled(dialog)));
        dialog.Find("#action-confirm").Click();

        var result = await reference.Result;
        var run = Assert.IsType<RecordedRun>(result!.Data);
        Assert.Null(run.Refusal);
        Assert.True((await _store.ReloadAsync(_current)).IsOrphaned);
    }

    [Fact]
    public async Task A_refused_plan_says_why_and_confirming_it_records_the_refused_attempt()
    {
        var sensor = await _store.Db().Devices.SingleAsync(d => d.ApplicationId == _sensors.Id);

        var (dialog, reference) = await OpenAsync("Enable public device URL", DeviceTargets.Device(_sensors.Id, sensor.Id), _operator, "sensor-1");
        Assert.Contains("Essentials applications have no public device URLs", dialog.Find("#plan-refusal").TextContent);
        dialog.Find("#action-confirm").Click();

        var run = Assert.IsType<RecordedRun>((await reference.Result)!.Data);
        Assert.Contains("Essentials applications have no public device URLs", run.Refusal);
        var recorded = await _store.Db().ActionRuns.SingleAsync();
        Assert.Equal((run.Id, run.Refusal), (recorded.Id, recorded.Refusal));
        Assert.False((await _store.ReloadAsync(sensor)).PublicUrlEnabled);
    }

    [Fact]
    public async Task A_selection_that_grew_while_the_dialog_was_open_is_refused_and_the_new_plan_shown()
    {
        var online = DeviceFilter.Create(DeviceColumn.Status, Core.Selection.FilterOperator.Is, "Online");
        await using (var db = _store.Db())
            await db.Devices.Where(d => d.Id == _old.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LastContactAt, _store.Clock.Now.AddDays(-2)));
        var (dialog, reference) = await OpenAsync("Purge data", DeviceTargets.AllListed(_kiosks.Id, [online]), _operator, "the listed devices");
        Assert.StartsWith("1 will purge their data", dialog.Find("#plan-summary").TextContent.Trim());

        // 20 devices come online; the live feed has not told the dialog yet when the person confirms.
        for (var i = 0; i < 20; i++) await _store.DeviceAsync(_kiosks, $"late-{i}");
        dialog.Find("#typed-name").Input("kiosks");
        dialog.WaitForAssertion(() => Assert.True(ConfirmEnabled(dialog)));
        dialog.Find("#action-confirm").Click();

        dialog.WaitForAssertion(() => Assert.Contains("The selection changed: 21 devices now, 1 when you confirmed; review the plan again.",
            dialog.Find("#confirm-refusal").TextContent));
        dialog.WaitForAssertion(() => Assert.StartsWith("21 will purge their data", dialog.Find("#plan-summary").TextContent.Trim()));
        Assert.False(reference.Result.IsCompleted);
        var refused = await _store.Db().ActionRuns.Include(r => r.Outcomes).SingleAsync();
        Assert.Equal(21, refused.Outcomes.Count(o => o.Kind == OutcomeKind.Refused));
    }

    [Fact]
    public async Task The_plan_follows_the_live_feed_while_the_dialog_is_open()
    {
        var (dialog, _) = await OpenAsync("Reboot", DeviceTargets.Group(_kiosks.Id, [_current.Id, _old.Id]), _operator, "kiosks");
        Assert.Equal("1 will reboot; 1 agent too old", dialog.Find("#plan-summary").TextContent.Trim());

        await using (var db = _store.Db())
            await db.Devices.Where(d => d.Id == _current.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LastContactAt, _store.Clock.Now.AddDays(-2)));
        _feed.Publish(new DeviceEvent(_current.Id, _kiosks.Id, _store.Clock.Now) { Status = DeviceStatus.Offline });

        dialog.WaitForAssertion(() => Assert.StartsWith("0 will reboot;", dialog.Find("#plan-summary").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Contains("1 offline will not be notified", dialog.Find("#plan-summary").TextContent);
    }

    [Fact]
    public async Task An_application_action_is_planned_by_the_policy_and_run_on_confirm()
    {
        var (dialog, reference) = await OpenAsync("Rename application", DeviceTargets.Application(_kiosks.Id), _administrator, "kiosks");
        dialog.Find("#option-name").Input("kiosk-fleet");
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("#plan-refusal"))); // refused while the name was empty
        // Found and clicked on the renderer's thread: the new name's plan may still render between the two otherwise,
        // and the click would reach a button that is gone.
        await dialog.InvokeAsync(() => dialog.Find("#action-confirm").Click());

        await reference.Result;
        Assert.Equal("kiosk-fleet", (await _store.Db().Applications.SingleAsync(a => a.Id == _kiosks.Id)).Name);
    }

    [Fact]
    public async Task An_operator_asking_for_an_administrator_action_is_refused_by_the_service()
    {
        var (dialog, reference) = await OpenAsync("Delete application", DeviceTargets.Application(_kiosks.Id), _operator, "kiosks");
        Assert.Contains("Administrator", dialog.Find("#plan-refusal").TextContent);
        dialog.Find("#action-confirm").Click();

        Assert.Contains("Administrator", Assert.IsType<RecordedRun>((await reference.Result)!.Data).Refusal);
        Assert.Contains("Administrator", (await _store.Db().ActionRuns.SingleAsync()).Refusal);
        Assert.NotNull(await _store.Db().Applications.SingleOrDefaultAsync(a => a.Id == _kiosks.Id));
    }
}
