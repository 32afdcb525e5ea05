using System.Net;
using System.Net.Sockets;
using Bunit;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Components.Pages.Organizations;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.Organizations;

/// <summary>
/// The people section of the organizations page over the real services: Acme administered by admin alone, with
/// member an Operator on kiosks. Administrators change roles, remove people, invite and revoke; members only read.
/// </summary>
public class OrganizationPeopleTests : StorePageTest
{
    private FleetUser _admin = null!;
    private FleetUser _member = null!;
    private Organization _acme = null!;
    private Application _kiosks = null!;

    protected override async Task ArrangeFleetAsync()
    {
        _admin = await Store.UserAsync("admin");
        _member = await Store.UserAsync("member");
        _acme = await Store.OrganizationAsync("Acme", members: [(_admin, OrganizationRole.Administrator), (_member, OrganizationRole.Member)]);
        _kiosks = await Store.ApplicationAsync(_acme, "kiosks", members: [(_member, ApplicationRole.Operator)]);
    }

    private IRenderedComponent<OrganizationsPage> RenderPage(FleetUser user)
    {
        var page = RenderAs<OrganizationsPage>(user);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-person]")));
        return page;
    }

    private static AngleSharp.Dom.IElement Person(IRenderedComponent<OrganizationsPage> page, string name) =>
        page.Find($"[data-person='{name}@example.test']");

    private async Task<OrganizationRole?> StoredRoleAsync(FleetUser user)
    {
        await using var db = Store.Db();
        return await db.OrganizationMembers.Where(m => m.OrganizationId == _acme.Id && m.UserId == user.Id)
            .Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync();
    }

    private static async Task InviteAsync(IRenderedComponent<OrganizationsPage> page, string email)
    {
        var form = page.Find("[data-invite-to='Acme'] form");
        form.QuerySelector(".fleet-invite-email input")!.Input(email);
        await form.SubmitAsync();
    }

    [Fact]
    public void The_last_administrator_is_said_to_be_one_and_offered_neither_a_role_change_nor_removal()
    {
        var page = RenderPage(_admin);

        var admin = Person(page, "admin");
        Assert.Equal("last administrator", admin.QuerySelector(".fleet-org-last-admin")!.TextContent.Trim());
        Assert.Contains("the last one can be neither demoted nor removed", page.Find(".fleet-org-last-admin-rule").TextContent);
        Assert.Null(admin.QuerySelector(".fleet-org-role-select"));
        Assert.Null(admin.QuerySelector(".fleet-org-remove"));
        var member = Person(page, "member");
        Assert.NotNull(member.QuerySelector(".fleet-org-role-select"));
        Assert.NotNull(member.QuerySelector(".fleet-org-remove"));
    }

    [Fact]
    public async Task An_administrator_makes_a_member_an_administrator_and_no_one_is_the_last_one_any_more()
    {
        var page = RenderPage(_admin);

        var select = page.FindComponents<MudSelect<OrganizationRole>>()
            .Single(s => s.Instance.UserAttributes.TryGetValue("aria-label", out var l) && Equals(l, "Organization role of member@example.test"));
        await select.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(OrganizationRole.Administrator));

        page.WaitForAssertion(() => Assert.Equal("member@example.test is now Administrator of Acme.", page.Find(".fleet-org-people-done").TextContent.Trim()));
        Assert.Equal(OrganizationRole.Administrator, await StoredRoleAsync(_member));
        Assert.Empty(page.FindAll(".fleet-org-last-admin, .fleet-org-last-admin-rule"));
        Assert.Equal(2, page.FindAll(".fleet-org-role-select").Count);
    }

    [Fact]
    public async Task Removing_a_person_after_a_second_click_takes_them_out_of_the_organization_and_its_applications()
    {
        var page = RenderPage(_admin);

        Person(page, "member").QuerySelector(".fleet-org-remove")!.Click();
        Assert.Contains("Remove member@example.test from Acme and every application of it?", Person(page, "member").TextContent);
        Person(page, "member").QuerySelector(".fleet-org-remove-confirm")!.Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-person='member@example.test']")));
        Assert.Null(await StoredRoleAsync(_member));
        await using var db = Store.Db();
        Assert.False(await db.ApplicationMembers.AnyAsync(m => m.UserId == _member.Id));
        var run = await db.ActionRuns.SingleAsync(r => r.ActionKey == "remove-from-organization");
        Assert.Equal((_acme.Id, "member@example.test", (string?)null), (run.OrganizationId, run.Options, run.Refusal));
    }

    [Fact]
    public async Task An_administrator_invites_copies_the_link_once_and_sees_the_invitation_pending()
    {
        var page = RenderPage(_admin);

        await InviteAsync(page, "newcomer@example.test");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".fleet-invitation-url")));
        var link = page.Find(".fleet-invitation-url").TextContent.Trim();
        Assert.StartsWith("http://localhost/Account/Invitation/", link);
        Assert.Equal("No mail server is configured: send the link to newcomer@example.test yourself.", page.Find(".fleet-invitation-mail").TextContent.Trim());
        Assert.Equal("organization Member", page.Find("[data-invitation='newcomer@example.test'] .fleet-invitation-role").TextContent.Trim());
        await using var db = Store.Db();
        var stored = await db.Invitations.SingleAsync();
        Assert.Equal(Secret.Hash(link[(link.LastIndexOf('/') + 1)..]), stored.TokenHash);
        Assert.Equal(Store.Clock.Now.AddDays(7), stored.ExpiresAt);
    }

    [Fact]
    public async Task A_refused_invitation_says_why_and_nothing_is_pending()
    {
        var page = RenderPage(_admin);

        await InviteAsync(page, "member@example.test");

        page.WaitForAssertion(() => Assert.Equal("member@example.test is already in Acme.", page.Find(".fleet-invite-refusal").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-invitation]"));
    }

    [Fact]
    public async Task An_administrator_revokes_a_pending_invitation()
    {
        var page = RenderPage(_admin);
        await InviteAsync(page, "newcomer@example.test");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-invitation]")));

        page.Find("[data-invitation='newcomer@example.test'] .fleet-invitation-revoke").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-invitation]")));
        await using var db = Store.Db();
        Assert.NotNull((await db.Invitations.SingleAsync()).RevokedAt);
    }

    [Fact]
    public void A_member_only_reads_the_people()
    {
        var page = RenderPage(_member);

        Assert.Equal(["Administrator", "Member"], page.FindAll(".fleet-org-role").Select(r => r.TextContent.Trim()));
        Assert.Empty(page.FindAll(".fleet-org-role-select, .fleet-org-remove, [data-invite-to], [data-invitation]"));
    }
}

/// <summary>With an SMTP server configured that does not answer: the invitation stands, and the page says the mail failed.</summary>
public class OrganizationInvitationMailTests() : StorePageTest(new FleetStore { Settings = Unreachable() })
{
    private FleetUser _admin = null!;

    private static Dictionary<string, string?> Unreachable()
    {
        // A port that was free a moment ago: nothing listens there, so the connection is refused at once.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new() { ["Fleet:Smtp:Host"] = "127.0.0.1", ["Fleet:Smtp:Port"] = port.ToString(), ["Fleet:Smtp:From"] = "fleet@example.test" };
    }

    protected override async Task ArrangeFleetAsync()
    {
        _admin = await Store.UserAsync("admin");
        await Store.OrganizationAsync("Acme", members: [(_admin, OrganizationRole.Administrator)]);
    }

    [Fact]
    public async Task A_mail_that_fails_loses_no_invitation()
    {
        var page = RenderAs<OrganizationsPage>(_admin);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-invite-to='Acme'] form")));

        var form = page.Find("[data-invite-to='Acme'] form");
        form.QuerySelector(".fleet-invite-email input")!.Input("newcomer@example.test");
        await form.SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal("The mail to newcomer@example.test could not be sent: send the link yourself. The invitation stands.",
            page.Find(".fleet-invitation-mail").TextContent.Trim()));
        Assert.NotEmpty(page.Find(".fleet-invitation-url").TextContent.Trim());
        Assert.Single(page.FindAll("[data-invitation='newcomer@example.test']"));
    }
}
