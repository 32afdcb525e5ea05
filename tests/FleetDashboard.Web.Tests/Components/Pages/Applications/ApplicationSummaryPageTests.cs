using System.Security.Claims;
using Bunit;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Components.Pages.Applications;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.Applications;

/// <summary>The page over the real services and a migrated SQLite file.</summary>
public class ApplicationSummaryPageTests : ComponentTest
{
    private readonly FleetStore _store = new();
    private readonly DeviceFeed _feed = new(TimeProvider.System);
    private Application _kiosks = null!;
    private Application _hidden = null!;
    private ClaimsPrincipal _operator = null!;

    protected override async Task ArrangeAsync()
    {
        await _store.InitializeAsync();
        var @operator = await _store.UserAsync("operator");
        var acme = await _store.OrganizationAsync("Acme");
        _kiosks = await _store.ApplicationAsync(acme, "kiosks", members: [(@operator, ApplicationRole.Operator)]);
        _hidden = await _store.ApplicationAsync(acme, "secret");
        await _store.DeviceAsync(_kiosks, "kiosk-1", d => d.Tags.Add(new DeviceTag { Name = "site", Value = "north" }));
        await _store.DeviceAsync(_kiosks, "kiosk-2");
        await _store.DeviceAsync(_kiosks, "lobby-screen", d => d.LastContactAt = _store.Clock.Now.AddHours(-3));
        _operator = FleetStore.SignedIn(@operator);

        Services.AddSingleton(_store.Queries);
        Services.AddSingleton(_store.Actions);
        Services.AddSingleton(_feed);
        Services.AddSingleton<TimeProvider>(_store.Clock);
    }

    protected override Task DisposeMoreAsync() => _store.DisposeAsync();

    private IRenderedComponent<ApplicationSummaryPage> RenderPage(int applicationId)
    {
        Render<MudPopoverProvider>();
        var authentication = Task.FromResult(new AuthenticationState(_operator));
        return Render<ApplicationSummaryPage>(ps => ps
            .Add(p => p.Id, applicationId)
            .AddCascadingValue(authentication));
    }

    private static string[] Names(IRenderedComponent<ApplicationSummaryPage> page) =>
        page.FindAll(".fleet-device-name").Select(n => n.TextContent.Trim()).ToArray();

    private static string SelectionText(IRenderedComponent<ApplicationSummaryPage> page) =>
        page.Find("#selection-count").TextContent.Trim();

    [Fact]
    public void An_application_the_user_cannot_see_says_so()
    {
        var page = RenderPage(_hidden.Id);

        page.WaitForAssertion(() => Assert.Contains("does not exist or you cannot see it", page.Find("#application-missing").TextContent));
        Assert.Empty(page.FindAll(".fleet-device-table"));
    }

    [Fact]
    public void The_header_shows_the_application_and_the_list_its_devices()
    {
        var page = RenderPage(_kiosks.Id);

        page.WaitForAssertion(() => Assert.Equal(["kiosk-1", "kiosk-2", "lobby-screen"], Names(page)));
        Assert.Equal("kiosks", page.Find("#application-name").TextContent);
        Assert.Equal("Operator", page.Find("#application-role").TextContent);
        Assert.Contains("site: north", page.Find(".fleet-tag").TextContent);
        Assert.Contains("3 h ago", page.Markup);
        Assert.Equal("0 selected", SelectionText(page));
    }

    [Fact]
    public void Select_all_without_a_filter_selects_every_device_of_the_application()
    {
        var page = RenderPage(_kiosks.Id);
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Length));

        page.Find(".fleet-check-all input").Change(true);

        page.WaitForAssertion(() => Assert.Equal("all 3 devices of the application selected", SelectionText(page)));
        var targets = page.Instance.SelectedTargets!;
        Assert.True(targets.SelectAll);
        Assert.Empty(targets.Filters);
        Assert.Contains("Group actions (3)", page.Find("#group-actions").TextContent);
    }

    [Fact]
    public void Select_all_with_a_filter_selects_the_listed_devices()
    {
        var page = RenderPage(_kiosks.Id);
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Length));

        page.Find("#add-filter").Click();
        page.Find(".fleet-filter-value input").Change("kiosk");
        page.Find("#filter-apply").Click();
        page.WaitForAssertion(() => Assert.Equal(["kiosk-1", "kiosk-2"], Names(page)));
        page.Find(".fleet-check-all input").Change(true);

        page.WaitForAssertion(() => Assert.Equal("all 2 listed devices selected", SelectionText(page)));
        var targets = page.Instance.SelectedTargets!;
        Assert.True(targets.SelectAll);
        Assert.Equal("name contains kiosk", Assert.Single(targets.Filters).ToString());
    }

    [Fact]
    public async Task Devices_checked_one_by_one_are_counted_and_targeted_by_id()
    {
        var page = RenderPage(_kiosks.Id);
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Length));

        page.FindAll(".fleet-check-device input")[1].Change(true);

        page.WaitForAssertion(() => Assert.Equal("1 selected", SelectionText(page)));
        await using var db = _store.Db();
        var kiosk2 = await db.Devices.Where(d => d.Name == "kiosk-2").Select(d => d.Id).SingleAsync();
        var targets = page.Instance.SelectedTargets!;
        Assert.False(targets.SelectAll);
        Assert.Equal([kiosk2], targets.DeviceIds);
    }

    [Fact]
    public async Task A_device_event_reloads_the_page_on_screen()
    {
        var page = RenderPage(_kiosks.Id);
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Length));
        await page.InvokeAsync(() => { });
        await Wait.UntilAsync(() => _feed.SubscriberCount == 1, "the page subscribes to the feed");

        await using (var db = _store.Db())
        {
            var device = await db.Devices.SingleAsync(d => d.Name == "kiosk-2");
            device.Name = "kiosk-2-renamed";
            device.LastContactAt = _store.Clock.Now.AddHours(-1);
            await db.SaveChangesAsync();
            _feed.Publish(new DeviceEvent(device.Id, _kiosks.Id, _store.Clock.Now) { Status = DeviceStatus.Offline });
        }

        page.WaitForAssertion(() => Assert.Equal(["kiosk-1", "kiosk-2-renamed", "lobby-screen"], Names(page)));
        page.WaitForAssertion(() => Assert.Contains("Offline", page.Find(".fleet-app-counts").TextContent));
    }

    private static string StatusOf(IRenderedComponent<ApplicationSummaryPage> page, string device) =>
        page.FindAll(".fleet-device-table tbody tr")
            .Single(r => r.QuerySelector(".fleet-device-link")?.TextContent == device)
            .QuerySelector(".fleet-device-status")!.TextContent.Trim();

    [Fact]
    public async Task A_changed_status_shows_on_its_row_from_the_event_then_once_more_from_the_store()
    {
        var page = RenderPage(_kiosks.Id);
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Length));
        await Wait.UntilAsync(() => _feed.SubscriberCount == 1, "the page subscribes to the feed");
        var list = page.FindComponent<DeviceListTable>();
        var before = StatusOf(page, "kiosk-2");
        var renders = list.RenderCount;

        // Same name, same place in the list, same key: only what the row shows changes.
        await using (var db = _store.Db())
        {
            var device = await db.Devices.SingleAsync(d => d.Name == "kiosk-2");
            device.LastContactAt = _store.Clock.Now.AddHours(-1);
            await db.SaveChangesAsync();
            _feed.Publish(new DeviceEvent(device.Id, _kiosks.Id, _store.Clock.Now) { Status = DeviceStatus.Offline });
        }

        page.WaitForAssertion(() => Assert.Equal("Offline", StatusOf(page, "kiosk-2")));
        Assert.NotEqual("Offline", before);
        // The event's status at once, then the reload (counts, order): no "loading" render between them.
        page.WaitForAssertion(() => Assert.Equal(renders + 2, list.RenderCount));
        Assert.Equal("Offline", StatusOf(page, "kiosk-2"));
    }

    [Fact]
    public void A_column_label_sorts_by_it_and_a_second_click_turns_the_order_round()
    {
        var page = RenderPage(_kiosks.Id);
        page.WaitForAssertion(() => Assert.Equal(["kiosk-1", "kiosk-2", "lobby-screen"], Names(page)));

        SortLabel(page, "Last seen").Click();
        page.WaitForAssertion(() => Assert.Equal("lobby-screen", Names(page)[0]));
        Assert.Contains("mud-direction-asc", SortLabel(page, "Last seen").InnerHtml);
        Assert.Contains("mud-direction-none", SortLabel(page, "Name").InnerHtml);

        SortLabel(page, "Name").Click();
        SortLabel(page, "Name").Click();
        page.WaitForAssertion(() => Assert.Equal(["lobby-screen", "kiosk-2", "kiosk-1"], Names(page)));
        Assert.Contains("mud-direction-desc", SortLabel(page, "Name").InnerHtml);
    }

    private static AngleSharp.Dom.IElement SortLabel(IRenderedComponent<ApplicationSummaryPage> page, string column) =>
        page.FindAll(".mud-table-sort-label").Single(l => l.TextContent.Trim() == column);

    [Fact]
    public async Task The_pager_moves_through_the_list_fifty_devices_a_page()
    {
        for (var i = 1; i <= 50; i++) await _store.DeviceAsync(_kiosks, $"shelf-{i:00}");
        var page = RenderPage(_kiosks.Id);
        page.WaitForAssertion(() => Assert.Equal(50, Names(page).Length));
        Assert.Equal("1-50 of 53", page.Find("#page-info").TextContent);

        page.Find(".mud-table-pagination-next-button").Click();

        page.WaitForAssertion(() => Assert.Equal(["shelf-48", "shelf-49", "shelf-50"], Names(page)));
        Assert.Equal("51-53 of 53", page.Find("#page-info").TextContent);
        Assert.True(page.Find(".mud-table-pagination-next-button").HasAttribute("disabled"));

        page.Find(".mud-table-pagination-first-button").Click();
        page.WaitForAssertion(() => Assert.Equal("kiosk-1", Names(page)[0]));
    }

    [Fact]
    public async Task The_feed_subscription_ends_with_the_page()
    {
        var page = RenderPage(_kiosks.Id);
        page.WaitForAssertion(() => Assert.Equal(1, _feed.SubscriberCount));

        await DisposeComponentsAsync();

        Assert.Equal(0, _feed.SubscriberCount);
    }
}
