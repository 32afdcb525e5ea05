using FleetDashboard.EndToEnd.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Pages.People;

/// <summary>
/// An invitation from end to end in Chromium: the administrator invites a colleague to an application with a role and
/// copies the link; the colleague opens it in a browser of their own (a fresh context: no cookie, no account), sets a
/// password, and lands on the application with that role.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InvitationRoundTripTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    [Fact]
    public async Task An_invited_colleague_sets_a_password_and_lands_on_the_application_with_the_invited_role()
    {
        var sensorNet = await Server.QueryAsync(db => db.Applications
            .Where(a => a.Name == "sensor-net" && a.OrganizationId == db.Organizations.Single(o => o.Name == "Acme").Id)
            .Select(a => a.Id).SingleAsync());
        var admin = await OpenPageAsync();
        await admin.SignInAsync("admin");
        await admin.GotoAsync($"applications/{sensorNet}/members");
        await admin.WaitForCircuitAsync();

        var invite = admin.Locator("[data-invite-to='sensor-net']");
        await invite.Locator(".fleet-invite-email input").FillAsync("colleague@acme.test");
        await admin.ChooseAsync(invite.Locator(".fleet-invite-role"), "Developer");
        await invite.Locator(".fleet-invite-submit").ClickAsync();
        await Expect(invite.Locator(".fleet-invitation-mail")).ToHaveTextAsync("No mail server is configured: send the link to colleague@acme.test yourself.");
        await Expect(invite.Locator("[data-invitation='colleague@acme.test'] .fleet-invitation-role")).ToHaveTextAsync("Developer");
        await Screenshots.TakeAsync(admin, "invitation", "link");
        var link = (await invite.Locator(".fleet-invitation-url").TextContentAsync())!.Trim();
        Assert.StartsWith(Server.BaseAddress + "Account/Invitation/", link);

        var colleague = await OpenPageAsync();
        await colleague.GotoAsync(link);
        await Expect(colleague.Locator("#invitation-lead")).ToContainTextAsync("invited colleague@acme.test to sensor-net as Developer");
        await colleague.Locator("[id='Join.DisplayName']").FillAsync("Casey Colleague");
        await colleague.Locator("[id='Join.Password']").FillAsync("Colleague-2026!");
        await colleague.Locator("[id='Join.ConfirmPassword']").FillAsync("Colleague-2026!");
        await Screenshots.TakeAsync(colleague, "invitation", "join");
        await colleague.Locator("#join-form button[type=submit]").ClickAsync();

        await Expect(colleague).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/applications/{sensorNet}$"));
        await colleague.WaitForCircuitAsync();
        await Expect(colleague.Locator("#application-name")).ToHaveTextAsync("sensor-net");
        await Expect(colleague.Locator("#application-role")).ToHaveTextAsync("Developer");
        await Screenshots.TakeAsync(colleague, "invitation", "landed");

        // The administrator's list follows: the invitation is no longer pending once a reload reads it again.
        await admin.ReloadAsync();
        await admin.WaitForCircuitAsync();
        await Expect(admin.Locator("[data-member='colleague@acme.test']")).ToContainTextAsync("Casey Colleague");
        await Expect(admin.Locator("[data-invitation]")).ToHaveCountAsync(0);

        // The link worked once: opened again it says so.
        var again = await OpenPageAsync();
        await again.GotoAsync(link);
        await Expect(again.Locator("#invitation-problem")).ToContainTextAsync("This invitation was already used on");
    }
}
