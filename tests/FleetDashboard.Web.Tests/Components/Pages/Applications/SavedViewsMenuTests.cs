using FleetDashboard.Web.Actions;
using System.Security.Claims;
using Bunit;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Components.Pages.Applications;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using FilterOperator = FleetDashboard.Core.Selection.FilterOperator;

namespace FleetDashboard.Web.Tests.Components.Pages.Applications;

/// <summary>Saved views and tag columns on the application summary page, over the real services.</summary>
public class SavedViewsMenuTests : ComponentTest
{
    private readonly FleetStore _store = new();
    private Application _kiosks = null!;
    private FleetUser _operator = null!, _observer = null!;
    private IRenderedComponent<MudPopoverProvider> _menus = null!;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    protected override async Task ArrangeAsync()
    {
        await _store.InitializeAsync();
        _operator = await _store.UserAsync("operator");
        _observer = await _store.UserAsync("observer");
        var acme = await _store.OrganizationAsync("Acme");
        _kiosks = await _store.ApplicationAsync(acme, "kiosks",
            members: [(_operator, ApplicationRole.Operator), (_observer, ApplicationRole.Observer)]);
        await _store.DeviceAsync(_kiosks, "kiosk-1", d => d.SetTag("site", "north"));
        await _store.DeviceAsync(_kiosks, "kiosk-2", d => d.SetTag("site", "south"));
        await _store.DeviceAsync(_kiosks, "lobby-screen");
        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(_operator), ActionRequest.On(_kiosks.Id, new SaveView("Kiosks", [DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Contains, "kiosk")])));
        Assert.Null(run.Refusal);

        Services.AddSingleton(_store.Queries);
        Services.AddSingleton(_store.Actions);
        Services.AddSingleton(new DeviceFeed(TimeProvider.System));
        Services.AddSingleton<TimeProvider>(_store.Clock);
    }

    protected override Task DisposeMoreAsync() => _store.DisposeAsync();

    private IRenderedComponent<ApplicationSummaryPage> RenderPage(FleetUser user)
    {
        _menus = Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
        var authentication = Task.FromResult(new AuthenticationState(FleetStore.SignedIn(user)));
        var page = Render<ApplicationSummaryPage>(ps => ps.Add(p => p.Id, _kiosks.Id).AddCascadingValue(authentication));
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Length));
        return page;
    }

    private static string[] Names(IRenderedComponent<ApplicationSummaryPage> page) =>
        page.FindAll(".fleet-device-name").Select(n => n.TextContent.Trim()).ToArray();

    private static string SelectionText(IRenderedComponent<ApplicationSummaryPage> page) =>
        page.Find("#selection-count").TextContent.Trim();

    private void OpenViews(IRenderedComponent<ApplicationSummaryPage> page)
    {
        page.Find("#saved-views button").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(_menus.FindAll(".fleet-saved-view")));
    }

    private IRenderedComponent<ApplicationSummaryPage> RecallKiosks(FleetUser user)
    {
        var page = RenderPage(user);
        OpenViews(page);
        _menus.Find(".fleet-saved-view[data-view='Kiosks']").Click();
        page.WaitForAssertion(() => Assert.Equal(["kiosk-1", "kiosk-2"], Names(page)));
        return page;
    }

    [Fact]
    public void An_observer_may_recall_views_but_is_not_offered_changing_them()
    {
        var page = RecallKiosks(_observer);

        page.Find("#saved-views button").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(_menus.FindAll(".fleet-saved-view")));
        Assert.Empty(_menus.FindAll("#save-view"));
        Assert.Empty(_menus.FindAll("#rename-view"));
        Assert.Empty(_menus.FindAll("#delete-view"));
    }

    [Fact]
    public void An_operator_is_offered_saving_renaming_and_deleting()
    {
        var page = RecallKiosks(_operator);

        page.Find("#saved-views button").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(_menus.FindAll("#save-view")));
        Assert.Contains("Rename “Kiosks”", _menus.Find("#rename-view").TextContent);
        Assert.Contains("Delete “Kiosks”", _menus.Find("#delete-view").TextContent);
    }

    [Fact]
    public void Recalling_a_view_applies_its_filters_as_chips_and_names_the_view()
    {
        var page = RecallKiosks(_observer);

        Assert.Equal("name contains kiosk", page.Find(".fleet-filter-chip").GetAttribute("data-filter"));
        Assert.Equal("Kiosks", page.Find("#applied-view").TextContent);
        Assert.Empty(page.FindAll("#view-modified"));
    }

    [Fact]
    public void Changing_the_filters_of_a_view_shows_it_modified_and_removing_the_last_one_unapplies_it()
    {
        var page = RecallKiosks(_observer);

        page.Find("#add-filter").Click();
        page.Find(".fleet-filter-value input").Change("1");
        page.Find("#filter-apply").Click();
        page.WaitForAssertion(() => Assert.Equal(["kiosk-1"], Names(page)));
        Assert.Equal("modified", page.Find("#view-modified").TextContent);

        foreach (var _ in Enumerable.Range(0, 2)) page.FindAll(".fleet-filter-chip .mud-chip-close-button")[0].Click();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Length));
        Assert.Empty(page.FindAll("#applied-view"));
    }

    [Fact]
    public void Select_all_with_a_view_applied_selects_only_the_listed_devices()
    {
        var page = RecallKiosks(_operator); // an observer is offered no Group actions

        page.Find(".fleet-check-all input").Change(true);

        page.WaitForAssertion(() => Assert.Equal("all 2 listed devices selected", SelectionText(page)));
        var targets = page.Instance.SelectedTargets!;
        Assert.True(targets.SelectAll);
        Assert.Equal("name contains kiosk", Assert.Single(targets.Filters).ToString());
        Assert.Contains("Group actions (2)", page.Find("#group-actions").TextContent);
    }

    [Fact]
    public void Select_all_with_no_view_and_no_filter_selects_every_device_of_the_application()
    {
        var page = RenderPage(_observer);

        page.Find(".fleet-check-all input").Change(true);

        page.WaitForAssertion(() => Assert.Equal("all 3 devices of the application selected", SelectionText(page)));
        Assert.Empty(page.Instance.SelectedTargets!.Filters);
    }

    /// <summary>The list filtered to the lobby screen, and the Save view dialog open on it.</summary>
    private IRenderedComponent<ApplicationSummaryPage> OpenSaveDialogOnLobby()
    {
        var page = RenderPage(_operator);
        page.Find("#add-filter").Click();
        page.Find(".fleet-filter-value input").Change("lobby");
        page.Find("#filter-apply").Click();
        page.WaitForAssertion(() => Assert.Equal(["lobby-screen"], Names(page)));

        page.Find("#saved-views button").Click();
        page.WaitForAssertion(() => _menus.Find("#save-view").Click());
        return page;
    }

    [Fact]
    public async Task Saving_the_filters_as_a_view_applies_it_and_a_taken_name_is_refused_in_the_dialog()
    {
        var page = OpenSaveDialogOnLobby();
        page.WaitForAssertion(() => _dialogs.Find(".mud-dialog input").Input("kiosks"));
        _dialogs.Find("#view-name-submit").Click();
        page.WaitForAssertion(() => Assert.Contains("already has a view named kiosks", _dialogs.Find("#view-refusal").TextContent));

        _dialogs.Find(".mud-dialog input").Input("Lobby");
        _dialogs.Find("#view-name-submit").Click();

        page.WaitForAssertion(() => Assert.Equal("Lobby", page.Find("#applied-view").TextContent));
        await using var db = _store.Db();
        var lobby = await db.SavedViews.SingleAsync(v => v.Name == "Lobby");
        Assert.Equal("name contains lobby", Assert.Single(lobby.Filters).ToString());
    }

    [Fact]
    public async Task A_view_name_over_100_characters_is_refused_like_other_names_not_cut()
    {
        var page = OpenSaveDialogOnLobby();
        // A browser cuts what is typed or pasted into a box with a maxlength, without a word.
        page.WaitForAssertion(() => Assert.True(
            int.Parse(_dialogs.Find(".mud-dialog input").GetAttribute("maxlength") ?? "0") is 0 or > FleetDashboard.Core.Applications.Names.MaxLength));
        _dialogs.Find(".mud-dialog input").Input(new string('v', 101));
        _dialogs.Find("#view-name-submit").Click();

        page.WaitForAssertion(() => Assert.Equal("A view name has at most 100 characters.", _dialogs.Find("#view-refusal").TextContent.Trim()));
        await using var db = _store.Db();
        Assert.False(await db.SavedViews.AnyAsync(v => v.Name.StartsWith("vvv")));
    }

    [Fact]
    public void The_columns_menu_adds_a_column_for_a_tag_with_its_value_per_device()
    {
        var page = RenderPage(_observer);

        page.Find("#columns-menu button").Click();
        page.WaitForAssertion(() => _menus.Find(".fleet-tag-column-choice[data-tag='site']").Click());

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("th[data-tag='site']")));
        var cells = page.FindAll("td.fleet-tag-cell[data-tag='site']").Select(c => c.TextContent.Trim()).ToArray();
        Assert.Equal(["north", "south", ""], cells);
        Assert.Contains("Columns (+1)", page.Find("#columns-menu").TextContent);
    }
}
