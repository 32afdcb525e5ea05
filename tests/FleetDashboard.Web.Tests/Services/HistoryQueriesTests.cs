using FleetDashboard.Web.Actions;
using System.Security.Claims;
using System.Text;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>The history, a run and the CSV export over real SQLite, with runs made by the real ActionService.</summary>
public sealed class HistoryQueriesTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    private Application _kiosks = null!;
    private Device _kiosk1 = null!, _kiosk2 = null!, _oldAgent = null!;
    private FleetUser _operator = null!, _observer = null!, _stranger = null!, _support = null!;
    private ClaimsPrincipal Operator => FleetStore.SignedIn(_operator);
    private ClaimsPrincipal Observer => FleetStore.SignedIn(_observer);

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        _operator = await _store.UserAsync("operator");
        _observer = await _store.UserAsync("observer");
        _stranger = await _store.UserAsync("stranger");
        _support = await _store.UserAsync("support", support: true);
        var acme = await _store.OrganizationAsync("Acme");
        await _store.OrganizationAsync("Globex", members: [(_stranger, Core.Organizations.OrganizationRole.Administrator)]);
        _kiosks = await _store.ApplicationAsync(acme, "kiosks", members: [(_operator, ApplicationRole.Operator), (_observer, ApplicationRole.Observer)]);
        _kiosk1 = await _store.DeviceAsync(_kiosks, "kiosk-1");
        _kiosk2 = await _store.DeviceAsync(_kiosks, "kiosk-2");
        _oldAgent = await _store.DeviceAsync(_kiosks, "old-agent", d => d.AgentVersion = new FleetVersion(1, 0, 4));
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    private Task<ActionRun> RunAsync(ClaimsPrincipal user, DeviceTargets targets, DeviceAction action) =>
        _store.Actions.RunAsync(user, new(action, targets));

    /// <summary>A reboot of the whole application (2 not notified, 1 refused), a tag on one device, an observer's refused try.</summary>
    private async Task<(ActionRun Reboot, ActionRun Tag, ActionRun Refused)> ThreeRunsAsync()
    {
        var reboot = await RunAsync(Operator, DeviceTargets.Application(_kiosks.Id), new RebootDevice());
        _store.Clock.Now = _store.Clock.Now.AddMinutes(5);
        var tag = await RunAsync(Operator, DeviceTargets.Device(_kiosks.Id, _kiosk1.Id), new SetDeviceTag("site", "north"));
        _store.Clock.Now = _store.Clock.Now.AddMinutes(5);
        var refused = await RunAsync(Observer, DeviceTargets.Device(_kiosks.Id, _kiosk2.Id), new SetLocalMode(true));
        return (reboot, tag, refused);
    }

    private Task<HistoryPage?> PageAsync(ClaimsPrincipal user, HistoryFilter? filter = null, int skip = 0, int take = 25, HistorySubject? subject = null) =>
        _store.Queries.HistoryPageAsync(user, new HistoryRequest(subject ?? HistorySubject.Application(_kiosks.Id), filter ?? HistoryFilter.None, skip, take));

    [Fact]
    public async Task An_observer_sees_the_runs_newest_first_with_their_counts()
    {
        var (reboot, tag, refused) = await ThreeRunsAsync();

        var page = await PageAsync(Observer);

        Assert.NotNull(page);
        Assert.Equal(3, page.Total);
        Assert.Equal([refused.Id, tag.Id, reboot.Id], page.Rows.Select(r => r.Id));
        var rebootRow = page.Rows[2];
        Assert.Equal(new OutcomeCounts(0, 0, 2, 1, 0, 0), rebootRow.Counts);
        Assert.Equal(3, rebootRow.DeviceCount);
        Assert.Equal("site = north", page.Rows[1].Options);
        Assert.Contains("needs the Operator role", page.Rows[0].Refusal);
        Assert.Equal([SetLocalMode.Enable.Key, RebootDevice.Reboot.Key, SetDeviceTag.Set.Key], page.Actions);
    }

    [Fact]
    public async Task A_stranger_sees_neither_the_history_nor_a_run_nor_the_export()
    {
        var (reboot, _, _) = await ThreeRunsAsync();
        var stranger = FleetStore.SignedIn(_stranger);

        Assert.Null(await PageAsync(stranger));
        Assert.Null(await PageAsync(stranger, subject: HistorySubject.Device(_kiosk1.Id)));
        Assert.Null(await _store.Queries.ActionRunAsync(stranger, reboot.Id));
        Assert.Null(await _store.Queries.ActionRunOutcomesAsync(stranger, new OutcomeListRequest(reboot.Id)));
        Assert.Null(await _store.Queries.HistoryCsvAsync(stranger, HistorySubject.Application(_kiosks.Id), HistoryFilter.None));
        Assert.Null(await _store.Queries.ActionRunAsync(Observer, 999_999));
    }

    [Fact]
    public async Task Support_staff_do_not_read_member_changes_even_with_a_grant_on_the_fleet()
    {
        var admin = await _store.UserAsync("admin");
        await using (var db = _store.Db())
        {
            db.OrganizationMembers.Add(new Core.Organizations.OrganizationMember { OrganizationId = _kiosks.OrganizationId, UserId = admin.Id, Role = Core.Organizations.OrganizationRole.Administrator });
            await db.SaveChangesAsync();
        }
        var added = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.On(_kiosks.Id, new AddMember("", "stranger@example.test", ApplicationRole.Observer)));
        await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.On(_kiosks.Id, new GrantApplicationSupportAccess(TimeSpan.FromHours(1))));
        var support = FleetStore.SignedIn(_support);

        var page = await PageAsync(support);

        Assert.Equal(["Grant support access to the fleet"], page!.Rows.Select(r => r.Action));
        Assert.Null(await _store.Queries.ActionRunAsync(support, added.Id));
        Assert.Equal(2, (await PageAsync(FleetStore.SignedIn(admin)))!.Total);
    }

    [Fact]
    public async Task Through_a_device_grant_a_group_run_shows_neither_its_filters_nor_its_application()
    {
        var group = await RunAsync(Operator, DeviceTargets.AllListed(_kiosks.Id, [Core.Selection.DeviceFilter.Create(Core.Selection.DeviceColumn.Name, Core.Selection.FilterOperator.Contains, "kiosk")]),
            new SetDeviceTag("site", "north"));
        await using (var db = _store.Db())
        {
            db.SupportGrants.Add(new Core.Access.SupportGrant { DeviceId = _kiosk1.Id, GrantedBy = "operator@example.test", GrantedAt = _store.Clock.Now, Until = _store.Clock.Now.AddHours(1) });
            await db.SaveChangesAsync();
        }
        var support = FleetStore.SignedIn(_support);

        var row = Assert.Single((await PageAsync(support, subject: HistorySubject.Device(_kiosk1.Id)))!.Rows);
        var run = await _store.Queries.ActionRunAsync(support, group.Id);

        Assert.Equal("", row.FilterText);
        Assert.True(run!.OnlySomeDevices);
        Assert.Equal("", run.FilterText);
        Assert.Equal("", run.ApplicationName);
        Assert.Equal("name contains kiosk", (await _store.Queries.ActionRunAsync(Operator, group.Id))!.FilterText);
    }

    [Fact]
    public async Task Support_staff_see_an_application_history_only_while_its_grant_is_in_force()
    {
        var (reboot, _, _) = await ThreeRunsAsync();
        var support = FleetStore.SignedIn(_support);
        Assert.Null(await PageAsync(support));

        var admin = await _store.UserAsync("admin");
        await using (var db = _store.Db())
        {
            db.OrganizationMembers.Add(new Core.Organizations.OrganizationMember { OrganizationId = _kiosks.OrganizationId, UserId = admin.Id, Role = Core.Organizations.OrganizationRole.Administrator });
            await db.SaveChangesAsync();
        }
        var granted = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.On(_kiosks.Id, new GrantApplicationSupportAccess(TimeSpan.FromHours(1))));
        Assert.Null(granted.Refusal);

        Assert.Equal(4, (await PageAsync(support))?.Total);
        Assert.False((await _store.Queries.ActionRunAsync(support, reboot.Id))?.OnlySomeDevices);

        _store.Clock.Now = _store.Clock.Now.AddHours(1);
        Assert.Null(await PageAsync(support));
        Assert.Null(await _store.Queries.ActionRunAsync(support, reboot.Id));
    }

    [Fact]
    public async Task Support_staff_with_a_device_grant_see_only_that_device_of_a_run()
    {
        var (reboot, _, _) = await ThreeRunsAsync();
        var support = FleetStore.SignedIn(_support);
        Assert.Null(await _store.Queries.ActionRunAsync(support, reboot.Id));

        await RunAsync(Operator, DeviceTargets.Device(_kiosks.Id, _kiosk1.Id), new GrantDeviceSupportAccess(TimeSpan.FromHours(1)));

        var run = await _store.Queries.ActionRunAsync(support, reboot.Id);
        Assert.NotNull(run);
        Assert.True(run.OnlySomeDevices);
        Assert.Equal(1, run.DeviceCount);
        Assert.Equal(new OutcomeCounts(0, 0, 1, 0, 0, 0), run.Counts);
        var outcomes = await _store.Queries.ActionRunOutcomesAsync(support, new OutcomeListRequest(reboot.Id));
        Assert.Equal(["kiosk-1"], outcomes!.Rows.Select(r => r.DeviceName));
        Assert.Null(await PageAsync(support));
        var deviceHistory = await PageAsync(support, subject: HistorySubject.Device(_kiosk1.Id));
        Assert.Equal(3, deviceHistory?.Total); // reboot, tag, grant
        Assert.All(deviceHistory!.Rows, r => Assert.Equal(1, r.DeviceCount));

        _store.Clock.Now = _store.Clock.Now.AddHours(2);
        Assert.Null(await _store.Queries.ActionRunAsync(support, reboot.Id));
        Assert.Null(await PageAsync(support, subject: HistorySubject.Device(_kiosk1.Id)));
    }

    [Fact]
    public async Task Filters_narrow_the_history_and_combine()
    {
        var (reboot, tag, refused) = await ThreeRunsAsync();

        async Task<long[]> Ids(HistoryFilter filter) => (await PageAsync(Observer, filter))!.Rows.Select(r => r.Id).ToArray();

        Assert.Equal([reboot.Id], await Ids(new HistoryFilter { Action = RebootDevice.Reboot.Key }));
        Assert.Equal([refused.Id], await Ids(new HistoryFilter { Actor = "OBSERVER@" }));
        Assert.Equal([refused.Id, reboot.Id], await Ids(new HistoryFilter { Outcome = HistoryOutcome.Refused }));
        Assert.Equal([reboot.Id], await Ids(new HistoryFilter { Outcome = HistoryOutcome.NotNotified }));
        Assert.Equal([tag.Id], await Ids(new HistoryFilter { Outcome = HistoryOutcome.Succeeded }));
        Assert.Empty(await Ids(new HistoryFilter { Outcome = HistoryOutcome.Waiting }));
        Assert.Equal([tag.Id], await Ids(new HistoryFilter { Text = "NORTH" }));
        Assert.Equal([refused.Id], await Ids(new HistoryFilter { Text = "operator role" }));
        Assert.Empty(await Ids(new HistoryFilter { Text = "%" }));
        Assert.Equal([refused.Id, tag.Id], await Ids(new HistoryFilter { From = reboot.At.AddMinutes(1) }));
        Assert.Equal([reboot.Id], await Ids(new HistoryFilter { To = tag.At }));
        Assert.Equal([tag.Id], await Ids(new HistoryFilter { Actor = "operator", From = tag.At, Outcome = HistoryOutcome.Succeeded }));
    }

    [Fact]
    public async Task The_history_is_paged_in_the_store()
    {
        var runs = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            _store.Clock.Now = _store.Clock.Now.AddSeconds(1);
            runs.Add((await RunAsync(Operator, DeviceTargets.Device(_kiosks.Id, _kiosk2.Id), new SetDeviceTag("n", $"{i}"))).Id);
        }
        runs.Reverse();

        var first = await PageAsync(Observer, skip: 0, take: 3);
        var last = await PageAsync(Observer, skip: 6, take: 3);

        Assert.Equal(7, first!.Total);
        Assert.Equal(runs.Take(3), first.Rows.Select(r => r.Id));
        Assert.Equal([runs[6]], last!.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task A_device_history_lists_the_runs_that_reached_it_with_its_own_outcome()
    {
        var (reboot, tag, refused) = await ThreeRunsAsync();

        var kiosk1 = await PageAsync(Observer, subject: HistorySubject.Device(_kiosk1.Id));
        var oldAgent = await PageAsync(Observer, subject: HistorySubject.Device(_oldAgent.Id));
        var kiosk2 = await PageAsync(Observer, subject: HistorySubject.Device(_kiosk2.Id), filter: new HistoryFilter { Outcome = HistoryOutcome.Refused });

        Assert.Equal([tag.Id, reboot.Id], kiosk1!.Rows.Select(r => r.Id));
        Assert.Equal(OutcomeKind.Succeeded, kiosk1.Rows[0].DeviceOutcome?.Kind);
        Assert.Equal("not notified: offline", kiosk1.Rows[1].DeviceOutcome?.ToString());
        Assert.Equal(new OutcomeCounts(0, 0, 2, 1, 0, 0), kiosk1.Rows[1].Counts);
        Assert.Equal("refused: agent too old", Assert.Single(oldAgent!.Rows).DeviceOutcome?.ToString());
        Assert.Equal([refused.Id], kiosk2!.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task A_run_page_counts_its_outcomes_and_pages_filters_and_sorts_them()
    {
        var (reboot, _, refused) = await ThreeRunsAsync();

        var run = await _store.Queries.ActionRunAsync(Observer, reboot.Id);
        var notNotified = await _store.Queries.ActionRunOutcomesAsync(Observer, new OutcomeListRequest(reboot.Id, OutcomeKind.NotNotified));
        var byNameDown = await _store.Queries.ActionRunOutcomesAsync(Observer, new OutcomeListRequest(reboot.Id, Descending: true, Take: 2));
        var refusedRun = await _store.Queries.ActionRunAsync(Observer, refused.Id);

        Assert.Equal("Reboot", run!.Action);
        Assert.Equal("kiosks", run.ApplicationName);
        Assert.Equal(ActionScope.Application, run.Scope);
        Assert.Equal(new OutcomeCounts(0, 0, 2, 1, 0, 0), run.Counts);
        Assert.Equal(["kiosk-1", "kiosk-2"], notNotified!.Rows.Select(r => r.DeviceName));
        Assert.Equal(3, byNameDown!.Total);
        Assert.Equal(["old-agent", "kiosk-2"], byNameDown.Rows.Select(r => r.DeviceName));
        Assert.Contains("needs the Operator role", refusedRun!.Refusal);
        Assert.Equal("kiosk-2", refusedRun.DeviceName);
        Assert.Equal(0, refusedRun.Counts.Waiting);
    }

    [Fact]
    public async Task Devices_resolved_without_an_outcome_yet_are_waiting()
    {
        var reboot = await RunAsync(Operator, DeviceTargets.Application(_kiosks.Id), new RebootDevice());
        // A run recorded as confirmed for three devices, answered so far by none: as the page sees it in the first second.
        await using (var db = _store.Db())
        {
            db.ActionRuns.Add(new ActionRun { At = _store.Clock.Now, ActorUserId = _operator.Id, ActorEmail = _operator.Email!, ApplicationId = _kiosks.Id, ActionKey = RebootDevice.Reboot.Key, Action = "Reboot", Scope = ActionScope.Group, DeviceCount = 3, FilterText = "name contains kiosk" });
            await db.SaveChangesAsync();
        }

        var page = await PageAsync(Observer, new HistoryFilter { Outcome = HistoryOutcome.Waiting });

        var waiting = Assert.Single(page!.Rows);
        Assert.NotEqual(reboot.Id, waiting.Id);
        Assert.Equal(3, waiting.Counts.Waiting);
        Assert.Equal("name contains kiosk", waiting.FilterText);
        Assert.Equal(3, (await _store.Queries.ActionRunAsync(Observer, waiting.Id))!.Counts.Waiting);
    }

    [Fact]
    public async Task The_csv_has_a_line_per_outcome_and_one_for_a_run_that_reached_no_device()
    {
        var (reboot, _, _) = await ThreeRunsAsync();
        var probe = await RunAsync(Operator, DeviceTargets.Group(_kiosks.Id, []), new RebootDevice());
        Assert.Equal("No device was chosen.", probe.Refusal);

        var lines = await CsvAsync(Observer, HistorySubject.Application(_kiosks.Id), HistoryFilter.None);

        Assert.Equal(string.Join(",", HistoryCsv.Header), lines[0]);
        Assert.Equal(1 + 1 + 1 + 1 + 3, lines.Length); // header, the probe, the refused try, the tag, three reboot outcomes
        Assert.StartsWith($"{probe.Id},", lines[1]);
        Assert.EndsWith(",Reboot,,Group,,No device was chosen.,,,,", lines[1]);
        Assert.Contains(lines, l => l.StartsWith($"{reboot.Id},2026-11-27T12:00:00.000Z,operator@example.test,Reboot,,Application,,,kiosk-1,{_kiosk1.Uuid},not notified,offline"));
        Assert.Contains(lines, l => l.EndsWith($"old-agent,{_oldAgent.Uuid},refused,agent too old"));
    }

    [Fact]
    public async Task The_csv_takes_the_filters_and_a_device_export_holds_that_devices_outcomes()
    {
        var (reboot, tag, _) = await ThreeRunsAsync();

        var reboots = await CsvAsync(Observer, HistorySubject.Application(_kiosks.Id), new HistoryFilter { Action = RebootDevice.Reboot.Key });
        var kiosk1 = await CsvAsync(Observer, HistorySubject.Device(_kiosk1.Id), HistoryFilter.None);

        Assert.Equal(4, reboots.Length);
        Assert.All(reboots.Skip(1), l => Assert.StartsWith($"{reboot.Id},", l));
        Assert.Equal([$"{tag.Id}", $"{reboot.Id}"], kiosk1.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(kiosk1.Skip(1), l => Assert.Contains($",kiosk-1,{_kiosk1.Uuid},", l));
    }

    [Fact]
    public async Task The_csv_quotes_and_defuses_what_a_spreadsheet_would_run()
    {
        var evil = await _store.DeviceAsync(_kiosks, "=HYPERLINK(\"http://x\")");
        await RunAsync(Operator, DeviceTargets.Device(_kiosks.Id, evil.Id), new SetDeviceTag("-cmd", "a, \"b\""));

        var lines = await CsvAsync(Observer, HistorySubject.Application(_kiosks.Id), HistoryFilter.None);

        Assert.Contains(",\"'-cmd = a, \"\"b\"\"\",", lines[1]);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\")\",", lines[1]);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void A_csv_cell_is_quoted_and_guarded(string? value, string expected) =>
        Assert.Equal(expected, HistoryCsv.Cell(value));

    private async Task<string[]> CsvAsync(ClaimsPrincipal user, HistorySubject subject, HistoryFilter filter)
    {
        var write = await _store.Queries.HistoryCsvAsync(user, subject, filter);
        Assert.NotNull(write);
        using var stream = new MemoryStream();
        await write(stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }
}
