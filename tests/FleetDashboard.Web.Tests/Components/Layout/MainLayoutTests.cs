using Bunit;
using FleetDashboard.Web.Components.Layout;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;

namespace FleetDashboard.Web.Tests.Components.Layout;

/// <summary>The layout in plain markup (issue 14's B7): the signed-in person, the links, and the drawer's menu button.</summary>
public sealed class MainLayoutTests : ComponentTest
{
    protected override Task ArrangeAsync()
    {
        AddAuthorization().SetAuthorized("admin@acme.test");
        return Task.CompletedTask;
    }

    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(ps => ps.Add(p => p.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<h1 id='page'>A page</h1>"))));

    [Fact]
    public void The_page_sits_in_the_frame_with_the_person_and_the_links()
    {
        var layout = RenderLayout();

        Assert.Equal("A page", layout.Find(".mud-main-content #page").TextContent);
        Assert.NotEmpty(layout.Find("#signed-in-user").TextContent.Trim());
        Assert.Equal(["applications", "organizations"], layout.FindAll("nav a.mud-nav-link").Select(a => a.GetAttribute("href")));
        Assert.Equal("submit", layout.Find("form[action='Account/Logout'] #sign-out").GetAttribute("type"));
    }

    [Fact]
    public void The_menu_button_flips_the_drawer_and_flips_it_back()
    {
        var layout = RenderLayout();
        var toggle = () => layout.Find("button[aria-label='Toggle navigation']").Click();

        Assert.Contains("mud-drawer--initial", layout.Find("aside.mud-drawer").ClassList);
        toggle();
        Assert.Contains("fleet-drawer-toggled", layout.Find("aside.mud-drawer").ClassList);
        Assert.Contains("fleet-drawer-toggled", layout.Find(".mud-layout").ClassList);
        toggle();
        Assert.DoesNotContain("fleet-drawer-toggled", layout.Find("aside.mud-drawer").ClassList);
    }
}
