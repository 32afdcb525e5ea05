using System.Text.RegularExpressions;
using Bunit;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Components.Pages.Organizations;
using FleetDashboard.Core.Devices;
using FleetDashboard.Testing;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.Organizations;

/// <summary>The organizations page over the real services: Acme (Paid) administered by admin, Globex (Free) too.</summary>
public class OrganizationsPageTests : StorePageTest
{
    private FleetUser _admin = null!;
    private FleetUser _member = null!;
    private Organization _acme = null!;
    private Organization _globex = null!;
    private Application _kiosks = null!;
    private Application _secret = null!;

    protected override async Task ArrangeFleetAsync()
    {
        _admin = await Store.UserAsync("admin");
        _member = await Store.UserAsync("member");
        var acme = _acme = await Store.OrganizationAsync("Acme", members: [(_admin, OrganizationRole.Administrator), (_member, OrganizationRole.Member)]);
        _globex = await Store.OrganizationAsync("Globex", OrganizationPlan.Free, members: [(_admin, OrganizationRole.Administrator)]);
        _kiosks = await Store.ApplicationAsync(acme, "kiosks", members: [(_member, ApplicationRole.Operator)]);
        _secret = await Store.ApplicationAsync(acme, "secret");
        Services.AddSingleton<TimeProvider>(Store.Clock);
    }

    private IRenderedComponent<OrganizationsPage> RenderPage(FleetUser user, string? query = null)
    {
        if (query is not null) Services.GetRequiredService<NavigationManager>().NavigateTo($"organizations{query}");
        var page = RenderAs<OrganizationsPage>(user);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-organization]")));
        return page;
    }

    private static string[] Texts(IRenderedComponent<OrganizationsPage> page, string selector) =>
        page.FindAll(selector).Select(e => e.TextContent.Trim()).ToArray();

    [Fact]
    public void A_member_sees_the_people_with_their_organization_role_and_only_their_applications()
    {
        var page = RenderPage(_member);

        Assert.Equal(["Acme"], page.FindAll("[data-organization]").Select(o => o.GetAttribute("data-organization")));
        Assert.Equal(["Administrator", "Member"], Texts(page, ".fleet-org-role"));
        Assert.Equal(["kiosks"], page.FindAll("[data-application]").Select(a => a.GetAttribute("data-application")));
        Assert.Empty(page.FindAll("[data-create-in]"));
        Assert.Empty(page.FindAll(".fleet-org-history"));
    }

    [Fact]
    public void Administrators_are_offered_the_history_of_each_organization_they_administer()
    {
        Assert.Equal([$"organizations/{_acme.Id}/history", $"organizations/{_globex.Id}/history"],
            RenderPage(_admin).FindAll(".fleet-org-history").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task An_organizations_history_keeps_the_runs_of_a_deleted_application()
    {
        var deleted = await Store.Actions.ConfirmedRunAsync(FleetDashboard.Web.Tests.Services.FleetStore.SignedIn(_admin),
            Web.Actions.ActionRequest.On(_secret.Id, new Core.Actions.DeleteApplication()));
        Assert.Null(deleted.Refusal);

        var history = RenderAs<Web.Components.Pages.History.OrganizationHistoryPage>(_admin, ps => ps.Add(p => p.Id, _acme.Id));

        history.WaitForAssertion(() => Assert.Equal("Delete application", history.Find($"[data-run='{deleted.Id}']").TextContent.Trim()));
        Assert.Equal("· secret", history.Find(".fleet-history-application").TextContent.Trim());
    }

    [Fact]
    public async Task The_device_totals_follow_the_fleet_without_a_reload()
    {
        var page = RenderPage(_member);
        Assert.Equal(["0"], Texts(page, "[data-application='kiosks'] .fleet-org-number"));

        var device = await Store.DeviceAsync(_kiosks, "kiosk-1");
        Feed.Publish(new DeviceEvent(device.Id, _kiosks.Id, Store.Clock.Now) { Status = DeviceStatus.Online });

        page.WaitForAssertion(() => Assert.Equal(["1"], Texts(page, "[data-application='kiosks'] .fleet-org-number")), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_administrator_creates_an_application_and_sees_it_listed()
    {
        var page = RenderPage(_admin);
        Assert.Equal(["kiosks", "secret"], page.FindAll("[data-organization='Acme'] [data-application]").Select(a => a.GetAttribute("data-application")));

        var globex = page.Find("[data-create-in='Globex']");
        globex.QuerySelector(".fleet-org-create-name input")!.Input("fleet");
        await globex.SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal("Created fleet in Globex.",
            Regex.Replace(page.Find("[data-create-in='Globex'] .fleet-org-created").TextContent, @"\s+", " ").Trim()));
        Assert.Single(page.FindAll("[data-organization='Globex'] [data-application='fleet']"));
        await using var db = Store.Db();
        var created = await db.Applications.SingleAsync(a => a.Name == "fleet");
        Assert.Equal((_globex.Id, ApplicationType.Starter), (created.OrganizationId, created.Type));
    }

    [Fact]
    public async Task A_paid_type_in_a_Free_organization_is_refused_with_the_reason()
    {
        var page = RenderPage(_admin);

        var types = page.FindComponents<MudSelect<ApplicationType>>()
            .Single(s => s.Instance.UserAttributes.TryGetValue("aria-label", out var label) && Equals(label, "Type of the new application in Globex"));
        await types.InvokeAsync(() => types.Instance.ValueChanged.InvokeAsync(ApplicationType.Microservices));
        page.Find("[data-create-in='Globex'] .fleet-org-create-name input").Input("kiosks-2");
        await page.Find("[data-create-in='Globex']").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal("Microservices is a paid type: Globex needs the Paid plan.",
            page.Find("[data-create-in='Globex'] .fleet-org-create-refusal").TextContent.Trim()));
        await using var db = Store.Db();
        Assert.False(await db.Applications.AnyAsync(a => a.Name == "kiosks-2"));
    }

    [Fact]
    public void The_transfer_page_link_opens_the_form_filled_in()
    {
        var page = RenderPage(_admin, $"?create=lab-rigs&in={_globex.Id}");

        Assert.Equal("lab-rigs", page.Find("[data-create-in='Globex'] .fleet-org-create-name input").GetAttribute("value"));
        Assert.Equal("", page.Find("[data-create-in='Acme'] .fleet-org-create-name input").GetAttribute("value") ?? "");
    }
}
