using FleetDashboard.Web.Actions;
using Bunit;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Web.Components.Actions;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Actions;

/// <summary>What each role is offered: nothing it may not do (the service still refuses it).</summary>
public class ActionsMenuTests : ComponentTest
{
    private IRenderedComponent<ActionsMenu> RenderMenu(ActionScope scope, ApplicationRole role)
    {
        var popovers = _popovers ??= Render<MudPopoverProvider>();
        var menu = Render<ActionsMenu>(ps => ps
            .Add(p => p.Scope, scope)
            .Add(p => p.Role, role)
            .Add(p => p.Targets, DeviceTargets.Application(1))
            .Add(p => p.TargetDescription, "kiosks"));
        if (menu.FindAll("button").Count > 0)
        {
            menu.Find("button").Click();
            popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll(".mud-menu-item")));
        }
        return menu;
    }

    private IRenderedComponent<MudPopoverProvider>? _popovers;

    /// <summary>The items of the menu opened last (an earlier one closes when another opens).</summary>
    private string[] Offered() =>
        _popovers!.FindAll(".mud-popover-open .mud-menu-item").Select(i => i.GetAttribute("data-action") ?? "").ToArray();

    [Theory]
    [InlineData(ActionScope.Device)]
    [InlineData(ActionScope.Group)]
    [InlineData(ActionScope.Application)]
    public void An_observer_is_offered_no_action(ActionScope scope)
    {
        var menu = RenderMenu(scope, ApplicationRole.Observer);

        Assert.Empty(menu.FindAll("button"));
        Assert.Empty(menu.Markup.Trim());
    }

    [Fact]
    public void An_operator_gets_every_device_action_for_a_group_but_no_application_action()
    {
        RenderMenu(ActionScope.Group, ApplicationRole.Operator);

        var offered = Offered();
        Assert.Contains("Reboot", offered);
        Assert.Contains("Move to another application", offered);
        Assert.Contains("Delete device", offered);
        Assert.DoesNotContain("Rename device", offered); // one device at a time
        Assert.DoesNotContain("Delete application", offered);
    }

    [Fact]
    public void The_application_menu_offers_administrator_actions_to_administrators_only()
    {
        RenderMenu(ActionScope.Application, ApplicationRole.Operator);
        var forOperator = Offered();
        RenderMenu(ActionScope.Application, ApplicationRole.Administrator);
        var forAdministrator = Offered();

        Assert.Contains("Reboot", forOperator);
        Assert.DoesNotContain("Delete application", forOperator);
        Assert.DoesNotContain("Change application type", forOperator);
        Assert.Contains("Delete application", forAdministrator);
        Assert.Contains("Grant support access to the fleet", forAdministrator);
        Assert.DoesNotContain("Delete device", forAdministrator); // a device action, not the application's
    }

    [Fact]
    public void Setting_the_target_release_is_offered_from_the_developer_role_up()
    {
        Assert.DoesNotContain(ActionCatalog.Offered(ActionScope.Application, ApplicationRole.Operator), c => c.Title == "Set target release");
        Assert.Contains(ActionCatalog.Offered(ActionScope.Application, ApplicationRole.Developer), c => c.Title == "Set target release");
        Assert.DoesNotContain(ActionCatalog.Offered(ActionScope.Application, ApplicationRole.Developer), c => c.Title == "Delete application");
    }

    [Fact]
    public void A_device_menu_can_leave_its_dangerous_actions_to_the_page()
    {
        var popovers = Render<MudPopoverProvider>();
        var menu = Render<ActionsMenu>(ps => ps
            .Add(p => p.Scope, ActionScope.Device)
            .Add(p => p.Role, ApplicationRole.Operator)
            .Add(p => p.Targets, DeviceTargets.Device(1, 2))
            .Add(p => p.Without, [ActionMenu.Dangerous])
            .Add(p => p.TargetDescription, "kiosk-1"));
        menu.Find("button").Click();

        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-menu-item"), i => i.GetAttribute("data-action") == "Rename device"));
        Assert.DoesNotContain(popovers.FindAll(".mud-menu-item"), i => i.GetAttribute("data-action") == "Delete device");
    }

    [Fact]
    public void Nothing_selected_disables_the_group_menu()
    {
        var menu = Render<ActionsMenu>(ps => ps
            .Add(p => p.Scope, ActionScope.Group)
            .Add(p => p.Role, ApplicationRole.Operator)
            .Add(p => p.Targets, null)
            .Add(p => p.TargetDescription, ""));

        Assert.True(menu.Find("button").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData(ApplicationRole.Observer, 0)]
    [InlineData(ApplicationRole.Operator, 20)]
    // Developers are offered pinning to a release and unpinning too.
    [InlineData(ApplicationRole.Developer, 22)]
    [InlineData(ApplicationRole.Administrator, 22)]
    public void Each_role_is_offered_exactly_the_device_actions_the_core_allows_it(ApplicationRole role, int expected)
    {
        var offered = ActionCatalog.Offered(ActionScope.Group, role);

        Assert.Equal(expected, offered.Count);
        Assert.All(offered, c => Assert.True(role >= c.LeastRole));
    }
}
