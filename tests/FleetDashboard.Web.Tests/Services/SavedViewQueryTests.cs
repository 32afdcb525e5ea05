using FleetDashboard.Web.Actions;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>Saved views and tag names as the device list reads them: only for those who see the application.</summary>
public sealed class SavedViewQueryTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    private Application _kiosks = null!;
    private FleetUser _operator = null!, _observer = null!, _stranger = null!, _support = null!;

    private static readonly DeviceFilter North = DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "north", "site");

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        _operator = await _store.UserAsync("operator");
        _observer = await _store.UserAsync("observer");
        _stranger = await _store.UserAsync("stranger");
        _support = await _store.UserAsync("support", support: true);
        var acme = await _store.OrganizationAsync("Acme");
        _kiosks = await _store.ApplicationAsync(acme, "kiosks",
            members: [(_operator, ApplicationRole.Operator), (_observer, ApplicationRole.Observer), (_support, ApplicationRole.Operator)]);
        await _store.DeviceAsync(_kiosks, "kiosk-1", d => { d.SetTag("site", "north"); d.SetTag("floor", "2"); });
        await _store.DeviceAsync(_kiosks, "kiosk-2", d => d.SetTag("Pilot", null));
        await _store.DeviceAsync(_kiosks, "kiosk-3", d => d.SetTag("site", "east"));
        await _store.DeviceAsync(await _store.ApplicationAsync(acme, "secret"), "secret-1", d => d.SetTag("vault", "7"));
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    private Task<ActionRun> RunAsync(FleetUser user, ApplicationAction action) =>
        _store.Actions.RunAsync(FleetStore.SignedIn(user), ActionRequest.On(_kiosks.Id, action));

    [Fact]
    public async Task Every_member_reads_the_views_by_name_and_an_outsider_none()
    {
        Assert.Null((await RunAsync(_operator, new SaveView("south", [North]))).Refusal);
        Assert.Null((await RunAsync(_operator, new SaveView("North kiosks", [North]))).Refusal);

        var views = await _store.Queries.ViewsAsync(FleetStore.SignedIn(_observer), _kiosks.Id);

        Assert.Equal(["North kiosks", "south"], views.Select(v => v.Name));
        Assert.Equal("tag site is north", Assert.Single(views[0].Filters).ToString());
        Assert.Equal(_operator.Email, views[0].CreatedBy);
        Assert.Empty(await _store.Queries.ViewsAsync(FleetStore.SignedIn(_stranger), _kiosks.Id));
        Assert.Empty(await _store.Queries.ViewsAsync(FleetStore.SignedIn(_observer), _kiosks.Id + 1000));
    }

    [Fact]
    public async Task Support_staff_read_the_views_only_while_a_grant_is_in_force()
    {
        await RunAsync(_operator, new SaveView("north", [North]));
        var support = FleetStore.SignedIn(_support);
        Assert.Empty(await _store.Queries.ViewsAsync(support, _kiosks.Id));

        await using (var db = _store.Db())
        {
            db.SupportGrants.Add(new SupportGrant
            {
                ApplicationId = _kiosks.Id, GrantedBy = "admin@example.test", GrantedAt = _store.Clock.Now, Until = _store.Clock.Now.AddHours(1),
            });
            await db.SaveChangesAsync();
        }

        Assert.Equal("north", Assert.Single(await _store.Queries.ViewsAsync(support, _kiosks.Id)).Name);
        // Their membership does not count for support staff: an Observer's reading, never a change.
        Assert.Contains("needs the Operator role", (await RunAsync(_support, new SaveView("mine", [North]))).Refusal);
    }

    [Fact]
    public async Task An_observer_may_not_save_rename_or_delete_a_view()
    {
        await RunAsync(_operator, new SaveView("north", [North]));
        var id = (await _store.Queries.ViewsAsync(FleetStore.SignedIn(_operator), _kiosks.Id)).Single().Id;

        Assert.Contains("needs the Operator role", (await RunAsync(_observer, new SaveView("mine", [North]))).Refusal);
        Assert.Contains("needs the Operator role", (await RunAsync(_observer, new RenameView(id, "mine"))).Refusal);
        Assert.Contains("needs the Operator role", (await RunAsync(_observer, new DeleteView(id))).Refusal);

        await using var db = _store.Db();
        Assert.Equal("north", (await db.SavedViews.SingleAsync()).Name);
    }

    [Fact]
    public async Task An_operator_renames_and_deletes_a_view()
    {
        await RunAsync(_operator, new SaveView("north", [North]));
        var id = (await _store.Queries.ViewsAsync(FleetStore.SignedIn(_operator), _kiosks.Id)).Single().Id;

        Assert.Null((await RunAsync(_operator, new RenameView(id, "North site"))).Refusal);
        Assert.Equal("North site", (await _store.Queries.ViewsAsync(FleetStore.SignedIn(_operator), _kiosks.Id)).Single().Name);
        Assert.Null((await RunAsync(_operator, new DeleteView(id))).Refusal);

        Assert.Empty(await _store.Queries.ViewsAsync(FleetStore.SignedIn(_operator), _kiosks.Id));
    }

    [Fact]
    public void A_view_holds_filters_of_the_same_meaning_even_as_other_instances()
    {
        var regex = DeviceFilter.Create(DeviceColumn.Name, FilterOperator.MatchesRegex, "^kiosk-\\d+$");
        var view = new SavedViewRow(1, "kiosks", [North, regex], "operator@example.test", DateTimeOffset.UnixEpoch);

        Assert.True(view.Holds([North, DeviceFilter.Create(DeviceColumn.Name, FilterOperator.MatchesRegex, "^kiosk-\\d+$")]));
        Assert.False(view.Holds([regex, North]));
        Assert.False(view.Holds([North]));
    }

    [Theory]
    [InlineData(false, new[] { "kiosk-3", "kiosk-1", "kiosk-2" })]
    [InlineData(true, new[] { "kiosk-1", "kiosk-3", "kiosk-2" })]
    public async Task The_list_sorts_by_a_tags_value_with_devices_without_it_last(bool descending, string[] expected)
    {
        var request = new DeviceListRequest(_kiosks.Id, [], DeviceSort.Tag, descending, SortTag: "site");

        var page = await _store.Queries.DevicePageAsync(FleetStore.SignedIn(_observer), request);

        Assert.Equal(expected, page!.Rows.Select(r => r.Name));
    }

    [Fact]
    public async Task Tag_names_are_those_of_the_applications_devices_for_those_who_see_it()
    {
        Assert.Equal(["floor", "Pilot", "site"], await _store.Queries.TagNamesAsync(FleetStore.SignedIn(_observer), _kiosks.Id));
        Assert.Empty(await _store.Queries.TagNamesAsync(FleetStore.SignedIn(_stranger), _kiosks.Id));
    }
}
