using System.Security.Claims;
using Bunit;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Components.Pages.Devices;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Devices.PublicUrls;
using FleetDashboard.Web.Hosting;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.Devices;

/// <summary>The device page over the real services and a migrated SQLite file.</summary>
public class DeviceSummaryPageTests : ComponentTest
{
    private readonly FleetStore _store = new();
    private readonly DeviceFeed _feed = new(TimeProvider.System);
    private Device _kiosk = null!;
    private Device _hidden = null!;
    private ClaimsPrincipal _operator = null!, _observer = null!, _support = null!;

    protected override async Task ArrangeAsync()
    {
        await _store.InitializeAsync();
        var @operator = await _store.UserAsync("operator");
        var observer = await _store.UserAsync("observer");
        var support = await _store.UserAsync("support", support: true);
        var acme = await _store.OrganizationAsync("Acme");
        var kiosks = await _store.ApplicationAsync(acme, "kiosks", members: [(@operator, ApplicationRole.Operator), (observer, ApplicationRole.Observer)]);
        _kiosk = await _store.DeviceAsync(kiosks, "kiosk-1", d =>
        {
            d.PublicUrlEnabled = true;
            d.Tags.Add(new DeviceTag { Name = "site", Value = "north" });
        });
        _hidden = await _store.DeviceAsync(await _store.ApplicationAsync(acme, "secret"), "secret-1");
        await using (var db = _store.Db())
        {
            db.SupportGrants.Add(new SupportGrant { DeviceId = _kiosk.Id, GrantedBy = "operator@example.test", GrantedAt = _store.Clock.Now, Until = _store.Clock.Now.AddDays(1) });
            await db.SaveChangesAsync();
        }
        (_operator, _observer, _support) = (FleetStore.SignedIn(@operator), FleetStore.SignedIn(observer), FleetStore.SignedIn(support));

        Services.AddSingleton(_store.Queries);
        Services.AddSingleton(_store.Actions);
        Services.AddSingleton(_feed);
        Services.AddSingleton<TimeProvider>(_store.Clock);
        Services.AddSingleton(new DevicePublicUrls(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Fleet:DevicesDomain"] = "devices.example.test" }).Build(),
            new PublicBaseAddress(null)));
    }

    protected override Task DisposeMoreAsync() => _store.DisposeAsync();

    private IRenderedComponent<DeviceSummaryPage> RenderPage(int deviceId, ClaimsPrincipal user)
    {
        Render<MudPopoverProvider>();
        var page = Render<DeviceSummaryPage>(ps => ps
            .Add(p => p.Id, deviceId)
            .AddCascadingValue(Task.FromResult(new AuthenticationState(user))));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#device-name, #device-missing")));
        return page;
    }

    [Fact]
    public void An_operator_sees_everything_about_the_device_and_its_actions()
    {
        var page = RenderPage(_kiosk.Id, _operator);

        Assert.Equal("kiosk-1", page.Find("#device-name").TextContent);
        Assert.Contains("Online", page.Find("#device-status").TextContent);
        Assert.Equal($"https://{_kiosk.Uuid}.devices.example.test/", page.Find("#public-url-link").GetAttribute("href"));
        Assert.Contains("site: north", page.Find("#device-tags").TextContent);
        Assert.Contains("until 2026-11-28 12:00:00 UTC", page.Find("#device-support").TextContent);
        Assert.NotEmpty(page.FindAll("#actions"));
        Assert.Equal(["Deactivate", "Change device type", "Delete device"],
            page.FindAll("#dangerous-actions button").Select(b => b.GetAttribute("data-action")));
    }

    [Fact]
    public void An_observer_is_offered_no_action()
    {
        var page = RenderPage(_kiosk.Id, _observer);

        Assert.Equal("kiosk-1", page.Find("#device-name").TextContent);
        Assert.Empty(page.FindAll("#actions"));
        Assert.Empty(page.FindAll("#dangerous-actions"));
        Assert.Empty(page.FindAll("[data-action]"));
    }

    [Fact]
    public void Support_staff_see_a_device_opened_to_them_and_nothing_to_do_with_it()
    {
        var page = RenderPage(_kiosk.Id, _support);

        Assert.Equal("kiosk-1", page.Find("#device-name").TextContent);
        Assert.Empty(page.FindAll("[data-action]"));
    }

    [Fact]
    public void Support_staff_see_the_application_of_a_device_opened_to_them_without_a_link_they_cannot_follow()
    {
        var page = RenderPage(_kiosk.Id, _support);

        var application = page.Find("#device-application");
        Assert.Equal("kiosks", application.TextContent);
        Assert.Null(application.GetAttribute("href"));
    }

    [Fact]
    public void A_member_follows_the_link_to_the_device_application()
    {
        var page = RenderPage(_kiosk.Id, _observer);

        Assert.Equal($"applications/{_kiosk.ApplicationId}", page.Find("#device-application").GetAttribute("href"));
    }

    [Fact]
    public void A_device_the_user_may_not_see_looks_like_one_that_does_not_exist()
    {
        var page = RenderPage(_hidden.Id, _operator);

        Assert.Contains("does not exist or you cannot see it", page.Find("#device-missing").TextContent);
        Assert.DoesNotContain("secret-1", page.Markup);
    }

    [Fact]
    public async Task A_change_to_the_device_shows_without_a_reload()
    {
        var page = RenderPage(_kiosk.Id, _operator);
        await Wait.UntilAsync(() => _feed.SubscriberCount == 2, "the page and its history subscribe to the feed");

        await using (var db = _store.Db())
            await db.Devices.Where(d => d.Id == _kiosk.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LastContactAt, _store.Clock.Now.AddHours(-2)));
        _feed.Publish(new DeviceEvent(_kiosk.Id, _kiosk.ApplicationId, _store.Clock.Now) { Status = DeviceStatus.Offline });

        page.WaitForAssertion(() => Assert.Contains("Offline", page.Find("#device-status").TextContent));
        await DisposeComponentsAsync();
        Assert.Equal(0, _feed.SubscriberCount);
    }
}
