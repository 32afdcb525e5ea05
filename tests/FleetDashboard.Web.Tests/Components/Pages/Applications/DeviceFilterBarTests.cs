using Bunit;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Components.Pages.Applications;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;
using FilterOperator = FleetDashboard.Core.Selection.FilterOperator;

namespace FleetDashboard.Web.Tests.Components.Pages.Applications;

public class DeviceFilterBarTests : ComponentTest
{
    /// <summary>Holds the filters as the page does: what the bar reports becomes what it shows.</summary>
    private sealed class Host : ComponentBase
    {
        [Parameter] public IReadOnlyList<DeviceFilter> Filters { get; set; } = [];

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenComponent<DeviceFilterBar>(0);
            builder.AddAttribute(1, nameof(DeviceFilterBar.Filters), Filters);
            builder.AddAttribute(2, nameof(DeviceFilterBar.FiltersChanged),
                EventCallback.Factory.Create<IReadOnlyList<DeviceFilter>>(this, filters => Filters = filters));
            builder.CloseComponent();
        }
    }

    private IRenderedComponent<Host> RenderBar(params DeviceFilter[] filters) =>
        Render<Host>(ps => ps.Add(h => h.Filters, filters));

    private static Task ChooseAsync<T>(IRenderedComponent<Host> host, T value)
    {
        var select = host.FindComponent<MudSelect<T>>();
        return select.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private static string[] Chips(IRenderedComponent<Host> host) =>
        host.FindAll(".fleet-filter-chip").Select(c => c.GetAttribute("data-filter")!).ToArray();

    [Fact]
    public void A_valid_filter_becomes_a_chip()
    {
        var host = RenderBar();

        host.Find("#add-filter").Click();
        host.Find(".fleet-filter-value input").Change("kiosk");
        host.Find("#filter-apply").Click();

        var filter = Assert.Single(host.Instance.Filters);
        Assert.Equal("name contains kiosk", filter.ToString());
        Assert.Equal(["name contains kiosk"], Chips(host));
        Assert.Contains("name contains kiosk", host.Find(".fleet-filter-chip").TextContent);
        Assert.Empty(host.FindAll(".fleet-filter-editor"));
    }

    [Fact]
    public async Task An_invalid_regex_shows_why_and_adds_nothing()
    {
        var host = RenderBar();

        host.Find("#add-filter").Click();
        await ChooseAsync(host, FilterOperator.MatchesRegex);
        host.Find(".fleet-filter-value input").Change("kiosk-(");
        host.Find("#filter-apply").Click();

        // The refusal renders after the click's handler returns: wait for it rather than read the markup at once.
        host.WaitForAssertion(() => Assert.Contains("is not a regular expression", host.Find(".fleet-filter-error").TextContent));
        Assert.Empty(host.Instance.Filters);
        Assert.Empty(Chips(host));
        Assert.Single(host.FindAll(".fleet-filter-editor"));
    }

    [Fact]
    public async Task An_invalid_version_shows_why_and_adds_nothing()
    {
        var host = RenderBar();

        host.Find("#add-filter").Click();
        await ChooseAsync(host, DeviceColumn.HostOs);
        await ChooseAsync(host, FilterOperator.IsBefore);
        host.Find(".fleet-filter-value input").Change("two point twelve");
        host.Find("#filter-apply").Click();

        Assert.Contains("is not a version", host.Find(".fleet-filter-error").TextContent);
        Assert.Empty(host.Instance.Filters);
    }

    [Fact]
    public async Task A_tag_filter_needs_a_valid_tag_name()
    {
        var host = RenderBar();

        host.Find("#add-filter").Click();
        await ChooseAsync(host, DeviceColumn.Tag);
        host.Find(".fleet-filter-tag input").Change("io.fleet.secret");
        host.Find("#filter-apply").Click();
        Assert.NotEmpty(host.Find(".fleet-filter-error").TextContent);
        Assert.Empty(host.Instance.Filters);

        host.Find(".fleet-filter-tag input").Change("site");
        await ChooseAsync(host, FilterOperator.Is);
        host.Find(".fleet-filter-value input").Change("north");
        host.Find("#filter-apply").Click();

        Assert.Equal(["tag site is north"], Chips(host));
    }

    [Fact]
    public void Clicking_a_chip_opens_the_editor_prefilled_and_applying_replaces_that_filter()
    {
        var host = RenderBar(
            DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Contains, "kiosk"),
            DeviceFilter.Create(DeviceColumn.HostOs, FilterOperator.IsBefore, "2.12.0"));

        host.FindAll(".fleet-filter-chip-edit")[0].Click();
        Assert.Equal("kiosk", host.Find(".fleet-filter-value input").GetAttribute("value"));
        host.Find(".fleet-filter-value input").Change("lobby");
        host.Find("#filter-apply").Click();

        Assert.Equal(["name contains lobby", "host OS is before 2.12.0"], Chips(host));
        Assert.Equal(2, host.Instance.Filters.Count);
    }

    [Fact]
    public void The_close_icon_removes_a_filter()
    {
        var host = RenderBar(
            DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Contains, "kiosk"),
            DeviceFilter.Create(DeviceColumn.Status, FilterOperator.Is, DeviceStatus.Offline.Label()));

        host.FindAll(".fleet-filter-chip")[0].QuerySelector(".mud-chip-close-button")!.Click();

        Assert.Equal(["status is Offline"], Chips(host));
        Assert.Equal("status is Offline", Assert.Single(host.Instance.Filters).ToString());
        Assert.Empty(host.FindAll(".fleet-filter-editor"));
    }
}
