using FleetDashboard.EndToEnd.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Pages.Administration;

/// <summary>
/// What an administrator does around an application: its members, a transfer to another organization, and the
/// organizations themselves. The transfer moves lab-rigs, Acme's Classic application, to Globex (Free: Classic is
/// not a paid type) in this class's own demo server; the member round trip leaves sensor-net as it found it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdministrationPagesTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    private Task<int> ApplicationIdAsync(string name) =>
        Server.QueryAsync(db => db.Applications.Where(a => a.Name == name && a.OrganizationId == db.Organizations.Single(o => o.Name == "Acme").Id)
            .Select(a => a.Id).SingleAsync());

    private async Task<IPage> OpenAsync(string person, string path)
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(person);
        await page.GotoAsync(path);
        await page.WaitForCircuitAsync();
        return page;
    }

    /// <summary>From the top: a full-page capture of a scrolled page leaves the fixed app bar in its middle.</summary>
    private static async Task ShotAsync(IPage page, string test, string step)
    {
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await Screenshots.TakeAsync(page, test, step);
    }

    [Fact]
    public async Task A_transfer_across_organizations_from_the_placeholder_step_to_the_result()
    {
        var labRigs = await ApplicationIdAsync("lab-rigs");
        var page = await OpenAsync("admin", $"applications/{labRigs}/transfer");

        // Globex has no lab-rigs yet: the core says so, and the page points at the placeholder step.
        var globex = page.Locator("[data-target='Globex']");
        await Expect(globex.Locator(".fleet-transfer-reason")).ToHaveTextAsync("Globex has no application named lab-rigs that you can see: create an empty one there first.");
        await Expect(globex.Locator(".fleet-transfer-start")).ToHaveCountAsync(0);
        await ShotAsync(page, "transfer", "no-placeholder");
        await globex.Locator(".fleet-transfer-create-placeholder").ClickAsync();

        // The Organizations page, its form filled in with the name: an empty Classic application for Intel NUCs.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/organizations\?create=lab-rigs&in=\d+$"));
        await page.WaitForCircuitAsync();
        var create = page.Locator("[data-create-in='Globex']");
        await Expect(create.Locator(".fleet-org-create-name input")).ToHaveValueAsync("lab-rigs");
        await page.ChooseAsync(create.Locator(".fleet-org-create-type"), "Classic");
        await page.ChooseAsync(create.Locator(".fleet-org-create-device-type"), "Intel NUC");
        await create.Locator(".fleet-org-create-submit").ClickAsync();
        await Expect(create.Locator(".fleet-org-created")).ToContainTextAsync("Created lab-rigs in Globex.");
        await Expect(page.Locator("[data-organization='Globex'] [data-application='lab-rigs']")).ToHaveCountAsync(1);
        await ShotAsync(page, "organizations", "placeholder-created");

        // Back on the Transfer page the transfer is offered; confirming takes the typed name.
        await page.GotoAsync($"applications/{labRigs}/transfer");
        await page.WaitForCircuitAsync();
        await Expect(globex).ToContainTextAsync("Every precondition holds");
        await globex.Locator(".fleet-transfer-start").ClickAsync();
        var confirm = page.Locator("#transfer-confirm");
        await Expect(confirm).ToContainTextAsync("Every member keeps their membership except you");
        await Expect(page.Locator("#transfer-submit")).ToBeDisabledAsync();
        await page.Locator(".fleet-transfer-typed input").FillAsync("lab-rigs");
        await Expect(page.Locator("#transfer-submit")).ToBeEnabledAsync();
        await ShotAsync(page, "transfer", "confirm");
        await page.Locator("#transfer-submit").ClickAsync();

        // The result: lab-rigs belongs to Globex, which admin administers, so it is one click away.
        var result = page.Locator("#transfer-result");
        await Expect(result).ToContainTextAsync("lab-rigs now belongs to Globex.");
        await ShotAsync(page, "transfer", "result");
        await page.Locator("#open-transferred").ClickAsync();
        await Expect(page.Locator("#application-name")).ToHaveTextAsync("lab-rigs");
        await Expect(page.Locator("#application-devices")).ToHaveTextAsync("10");

        var (organization, placeholders) = await Server.QueryAsync(async db =>
        {
            var moved = await db.Applications.SingleAsync(a => a.Id == labRigs);
            var name = await db.Organizations.Where(o => o.Id == moved.OrganizationId).Select(o => o.Name).SingleAsync();
            return (name, await db.Applications.CountAsync(a => a.Name == "lab-rigs"));
        });
        Assert.Equal("Globex", organization);
        Assert.Equal(1, placeholders);
    }

    [Fact]
    public async Task An_administrator_removes_adds_and_changes_a_member_and_an_observer_only_reads()
    {
        var sensorNet = await ApplicationIdAsync("sensor-net");
        var page = await OpenAsync("admin", $"applications/{sensorNet}/members");
        var observer = page.Locator("[data-member='observer@acme.test']");
        await Expect(page.Locator("[data-member='admin@acme.test']")).ToContainTextAsync("organization administrator");
        await ShotAsync(page, "members-admin", "list");

        // An unknown email: the core's reason, and no one added.
        await page.Locator(".fleet-member-email input").FillAsync("nobody@acme.test");
        await page.Locator("#add-member-submit").ClickAsync();
        await Expect(page.Locator("#member-refusal")).ToContainTextAsync("nobody@acme.test cannot be added to sensor-net");
        await Expect(page.Locator("[data-member]")).ToHaveCountAsync(4);
        await ShotAsync(page, "members-admin", "unknown-email");

        // Remove, after a confirmation.
        await observer.Locator(".fleet-member-remove").ClickAsync();
        await Expect(observer).ToContainTextAsync("Remove observer@acme.test from sensor-net?");
        await observer.Locator(".fleet-member-remove-confirm").ClickAsync();
        await Expect(observer).ToHaveCountAsync(0);

        // Add back as Operator, then change to Observer: as the seed had it.
        await page.Locator(".fleet-member-email input").FillAsync("observer@acme.test");
        await page.ChooseAsync(page.Locator(".fleet-member-role"), "Operator");
        await page.Locator("#add-member-submit").ClickAsync();
        await Expect(page.Locator("#member-done")).ToContainTextAsync("observer@acme.test is now a member of sensor-net as Operator.");
        await Expect(observer.Locator(".fleet-member-role-select input").First).ToHaveValueAsync("Operator");
        await page.ChooseAsync(observer.Locator(".fleet-member-role-select"), "Observer");
        await Expect(page.Locator("#member-done")).ToContainTextAsync("observer@acme.test is now Observer on sensor-net.");
        var role = await Server.QueryAsync(db => db.ApplicationMembers
            .Where(m => m.ApplicationId == sensorNet && db.Users.Any(u => u.Id == m.UserId && u.Email == "observer@acme.test"))
            .Select(m => m.Role).SingleAsync());
        Assert.Equal(FleetDashboard.Core.Applications.ApplicationRole.Observer, role);

        // The observer sees the same people and is offered nothing.
        var observerPage = await OpenAsync("observer", $"applications/{sensorNet}/members");
        await Expect(observerPage.Locator("[data-member]")).ToHaveCountAsync(4);
        await Expect(observerPage.Locator("#members-read-only")).ToBeVisibleAsync();
        await Expect(observerPage.Locator("#add-member, .fleet-member-remove, .fleet-member-role-select")).ToHaveCountAsync(0);
        await ShotAsync(observerPage, "members-observer", "read-only");
    }

    [Fact]
    public async Task The_organizations_page_shows_people_and_their_organization_role()
    {
        var page = await OpenAsync("admin", "organizations");

        var acme = page.Locator("[data-organization='Acme']");
        await Expect(acme.Locator("[data-person='admin@acme.test'] .fleet-org-role")).ToHaveTextAsync("Administrator");
        // An administrator changes the others' roles; the last administrator is said to be one, and offered no change.
        await Expect(acme.Locator("[data-person='operator@acme.test'] .fleet-org-role-select input")).ToHaveValueAsync("Member");
        await Expect(acme.Locator("[data-person='admin@acme.test'] .fleet-org-last-admin")).ToHaveTextAsync("last administrator");
        await Expect(acme.Locator("[data-application='kiosk-fleet']")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-create-in]")).ToHaveCountAsync(2);
        await ShotAsync(page, "organizations-admin", "list");

        // A member of Acme sees its people too, and no form to create an application.
        var operatorPage = await OpenAsync("operator", "organizations");
        await Expect(operatorPage.Locator("[data-organization]")).ToHaveCountAsync(1);
        await Expect(operatorPage.Locator("[data-person]")).ToHaveCountAsync(4);
        await Expect(operatorPage.Locator("[data-person='operator@acme.test'] .fleet-org-role")).ToHaveTextAsync("Member");
        await Expect(operatorPage.Locator(".fleet-org-role-select, .fleet-org-remove, [data-invite-to]")).ToHaveCountAsync(0);
        await Expect(operatorPage.Locator("[data-create-in]")).ToHaveCountAsync(0);
        await ShotAsync(operatorPage, "organizations-operator", "list");
    }
}
