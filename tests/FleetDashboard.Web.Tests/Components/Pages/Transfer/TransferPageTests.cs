using Bunit;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Components.Pages.Transfer;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Components.Pages.Transfer;

/// <summary>The transfer page over the real services: Globex holds an empty "fleet", Initech none.</summary>
public class TransferPageTests : StorePageTest
{
    private FleetUser _admin = null!;
    private FleetUser _developer = null!;
    private Organization _globex = null!;
    private Application _fleet = null!;

    protected override async Task ArrangeFleetAsync()
    {
        _admin = await Store.UserAsync("admin");
        _developer = await Store.UserAsync("developer");
        var acme = await Store.OrganizationAsync("Acme", members: [(_admin, OrganizationRole.Administrator), (_developer, OrganizationRole.Member)]);
        _globex = await Store.OrganizationAsync("Globex", members: [(_admin, OrganizationRole.Administrator)]);
        await Store.OrganizationAsync("Initech", members: [(_admin, OrganizationRole.Administrator), (_developer, OrganizationRole.Member)]);
        _fleet = await Store.ApplicationAsync(acme, "fleet", ApplicationType.Classic, "intel-nuc", members: [(_developer, ApplicationRole.Developer)]);
        await Store.DeviceAsync(_fleet, "nuc-1");
        await Store.ApplicationAsync(_globex, "fleet", ApplicationType.Starter, "intel-nuc");
    }

    private IRenderedComponent<TransferPage> RenderPage(FleetUser user)
    {
        var page = RenderAs<TransferPage>(user, ps => ps.Add(p => p.Id, _fleet.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-target]")));
        return page;
    }

    private static AngleSharp.Dom.IElement Target(IRenderedComponent<TransferPage> page, string name) =>
        page.Find($"[data-target='{name}']");

    [Fact]
    public void A_possible_target_offers_the_transfer_and_an_impossible_one_says_what_is_missing()
    {
        var page = RenderPage(_admin);

        Assert.Equal(["Globex", "Initech"], page.FindAll("[data-target]").Select(t => t.GetAttribute("data-target")));
        var globex = Target(page, "Globex");
        Assert.NotNull(globex.QuerySelector(".fleet-transfer-start"));
        Assert.Contains("Every precondition holds", globex.TextContent);
        var initech = Target(page, "Initech");
        Assert.Null(initech.QuerySelector(".fleet-transfer-start"));
        Assert.Equal("Initech has no application named fleet that you can see: create an empty one there first.",
            initech.QuerySelector(".fleet-transfer-reason")!.TextContent);
        // They administer Initech, so the page points at the placeholder step.
        Assert.Equal($"organizations?create=fleet&in={IdOf("Initech")}",
            initech.QuerySelector(".fleet-transfer-create-placeholder")!.GetAttribute("href"));
    }

    [Fact]
    public void Someone_who_does_not_administer_the_organization_is_told_so_and_offered_nothing()
    {
        var page = RenderPage(_developer);

        var initech = Target(page, "Initech");
        Assert.Equal("Transfer application needs an administrator of the organization that owns fleet.",
            initech.QuerySelector(".fleet-transfer-reason")!.TextContent);
        Assert.Empty(page.FindAll(".fleet-transfer-start, .fleet-transfer-create-placeholder"));
    }

    [Fact]
    public async Task Confirming_needs_the_typed_name_and_ends_on_the_result()
    {
        var page = RenderPage(_admin);

        Target(page, "Globex").QuerySelector(".fleet-transfer-start")!.Click();
        Assert.Contains("Every member keeps their membership except you", page.Find("#transfer-confirm").TextContent);
        Assert.True(page.Find("#transfer-submit").HasAttribute("disabled"));
        page.Find(".fleet-transfer-typed input").Input("Fleet");
        Assert.True(page.Find("#transfer-submit").HasAttribute("disabled"));
        page.Find(".fleet-transfer-typed input").Input("fleet");
        Assert.False(page.Find("#transfer-submit").HasAttribute("disabled"));

        page.Find("#transfer-submit").Click();

        page.WaitForAssertion(() => Assert.Contains("fleet now belongs to Globex", page.Find("#transfer-result").TextContent));
        Assert.Equal($"applications/{_fleet.Id}", page.Find("#open-transferred").GetAttribute("href"));
        await using var db = Store.Db();
        Assert.Equal(_globex.Id, (await db.Applications.SingleAsync(a => a.Id == _fleet.Id)).OrganizationId);
    }

    [Fact]
    public async Task A_mover_who_does_not_administer_the_target_is_told_honestly_that_the_application_is_out_of_sight()
    {
        var mover = await Store.UserAsync("mover");
        await using (var db = Store.Db())
        {
            var placeholder = await db.Applications.SingleAsync(a => a.OrganizationId == _globex.Id && a.Name == "fleet");
            db.OrganizationMembers.AddRange(
                new OrganizationMember { OrganizationId = _fleet.OrganizationId, UserId = mover.Id, Role = OrganizationRole.Administrator },
                new OrganizationMember { OrganizationId = _globex.Id, UserId = mover.Id, Role = OrganizationRole.Member });
            db.ApplicationMembers.Add(new ApplicationMember { ApplicationId = placeholder.Id, UserId = mover.Id, Role = ApplicationRole.Developer });
            await db.SaveChangesAsync();
        }
        var page = RenderPage(mover);

        Target(page, "Globex").QuerySelector(".fleet-transfer-start")!.Click();
        page.Find(".fleet-transfer-typed input").Input("fleet");
        page.Find("#transfer-submit").Click();

        page.WaitForAssertion(() => Assert.Contains("You can no longer see fleet", page.Find("#transferred-out-of-sight").TextContent));
        Assert.Empty(page.FindAll("#open-transferred"));
    }

    private int IdOf(string organization)
    {
        using var db = Store.Db();
        return db.Organizations.Single(o => o.Name == organization).Id;
    }
}
