using Bunit;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Components.Pages.Members;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.Members;

/// <summary>The members page over the real services and a migrated SQLite file.</summary>
public class MembersPageTests : StorePageTest
{
    private readonly Dictionary<string, FleetUser> _people = [];
    private Application _kiosks = null!;

    protected override async Task ArrangeFleetAsync()
    {
        foreach (var name in new[] { "admin", "lead", "developer", "operator", "observer", "colleague" })
            _people[name] = await Store.UserAsync(name);
        _people["support"] = await Store.UserAsync("support", support: true);
        var acme = await Store.OrganizationAsync("Acme", members: [(_people["admin"], OrganizationRole.Administrator)]);
        _kiosks = await Store.ApplicationAsync(acme, "kiosks", members:
        [
            (_people["lead"], ApplicationRole.Administrator), (_people["developer"], ApplicationRole.Developer),
            (_people["operator"], ApplicationRole.Operator), (_people["observer"], ApplicationRole.Observer),
        ]);
    }

    private IRenderedComponent<MembersPage> RenderPage(string person)
    {
        var page = RenderAs<MembersPage>(_people[person], ps => ps.Add(p => p.Id, _kiosks.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-member], #application-missing")));
        return page;
    }

    private static string[] Rows(IRenderedComponent<MembersPage> page) =>
        page.FindAll("[data-member]").Select(r => r.GetAttribute("data-member")!).ToArray();

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<MembersPage> page, string person) =>
        page.Find($"[data-member='{person}@example.test']");

    private static Task ChooseRoleAsync(IRenderedComponent<MembersPage> page, string label, ApplicationRole role)
    {
        var select = page.FindComponents<MudSelect<ApplicationRole>>()
            .Single(s => s.Instance.UserAttributes.TryGetValue("aria-label", out var l) && Equals(l, label));
        return select.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(role));
    }

    private async Task<ApplicationRole?> StoredRoleAsync(string person)
    {
        await using var db = Store.Db();
        return await db.ApplicationMembers.Where(m => m.ApplicationId == _kiosks.Id && m.UserId == _people[person].Id)
            .Select(m => (ApplicationRole?)m.Role).SingleOrDefaultAsync();
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("lead")]
    public void Administrators_are_offered_add_change_and_remove(string person)
    {
        var page = RenderPage(person);

        Assert.Single(page.FindAll("#add-member"));
        Assert.Empty(page.FindAll("#members-read-only"));
        Assert.Equal(6, page.FindComponents<MudSelect<ApplicationRole>>().Count); // the add form's, the invitation's, and one per member
        Assert.Equal(4, page.FindAll(".fleet-member-remove").Count);
        // The organization's administrator is listed as such first, and cannot be removed from here.
        Assert.Equal("admin@example.test", Rows(page)[0]);
        var admin = Row(page, "admin");
        Assert.Contains("organization administrator", admin.TextContent);
        Assert.Contains("Administrator", admin.QuerySelector(".fleet-member-role-text")!.TextContent);
        Assert.Contains("not removable here", admin.TextContent);
        Assert.Null(admin.QuerySelector(".fleet-member-remove"));
    }

    [Theory]
    [InlineData("developer")]
    [InlineData("operator")]
    [InlineData("observer")]
    public void Others_see_the_members_read_only(string person)
    {
        var page = RenderPage(person);

        Assert.Equal(5, Rows(page).Length);
        Assert.Contains("Administrators of kiosks add, change and remove its members.", page.Find("#members-read-only").TextContent);
        Assert.Empty(page.FindAll("#add-member"));
        Assert.Empty(page.FindComponents<MudSelect<ApplicationRole>>());
        Assert.Empty(page.FindAll(".fleet-member-remove, .fleet-member-actions"));
        Assert.Equal("Operator", Row(page, "operator").QuerySelector(".fleet-member-role-text")!.TextContent.Trim());
    }

    [Fact]
    public void Support_staff_see_no_members()
    {
        var page = RenderPage("support");

        Assert.Contains("cannot see its members", page.Find("#application-missing").TextContent);
        Assert.Empty(Rows(page));
    }

    [Fact]
    public async Task An_unknown_email_is_refused_with_the_reason_and_adds_no_one()
    {
        var page = RenderPage("admin");

        page.Find(".fleet-member-email input").Input("nobody@example.test");
        await page.Find("#add-member").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains("nobody@example.test cannot be added to", page.Find("#member-refusal").TextContent));
        Assert.Equal(5, Rows(page).Length);
    }

    [Fact]
    public async Task A_blank_email_is_refused_before_anything_is_asked()
    {
        var page = RenderPage("admin");

        await page.Find("#add-member").SubmitAsync();

        Assert.Contains("Type the email address", page.Find("#member-refusal").TextContent);
        await using var db = Store.Db();
        Assert.Equal(0, await db.ActionRuns.CountAsync());
    }

    [Fact]
    public async Task An_administrator_adds_changes_and_removes_a_member()
    {
        var page = RenderPage("lead");

        page.Find(".fleet-member-email input").Input("Colleague@Example.test");
        await ChooseRoleAsync(page, "Role of the new member", ApplicationRole.Operator);
        await page.Find("#add-member").SubmitAsync();
        page.WaitForAssertion(() => Assert.Contains("colleague@example.test", Rows(page)));
        Assert.Contains("is now a member of kiosks as Operator", page.Find("#member-done").TextContent);
        Assert.Equal(ApplicationRole.Operator, await StoredRoleAsync("colleague"));

        await ChooseRoleAsync(page, "Role of colleague@example.test", ApplicationRole.Developer);
        page.WaitForAssertion(() => Assert.Contains("colleague@example.test is now Developer on kiosks", page.Find("#member-done").TextContent));
        Assert.Equal(ApplicationRole.Developer, await StoredRoleAsync("colleague"));

        Row(page, "colleague").QuerySelector(".fleet-member-remove")!.Click();
        Assert.Contains("Remove colleague@example.test from kiosks?", Row(page, "colleague").TextContent);
        Assert.Equal(ApplicationRole.Developer, await StoredRoleAsync("colleague")); // asked, not done
        Row(page, "colleague").QuerySelector(".fleet-member-remove-confirm")!.Click();

        page.WaitForAssertion(() => Assert.DoesNotContain("colleague@example.test", Rows(page)));
        Assert.Null(await StoredRoleAsync("colleague"));
    }

    [Fact]
    public async Task An_application_administrator_invites_someone_with_a_role_and_revokes_the_invitation()
    {
        var page = RenderPage("lead");

        var form = page.Find("[data-invite-to='kiosks'] form");
        form.QuerySelector(".fleet-invite-email input")!.Input("newcomer@example.test");
        await ChooseRoleAsync(page, "Role of the person invited to kiosks", ApplicationRole.Developer);
        await form.SubmitAsync();

        page.WaitForAssertion(() => Assert.StartsWith("http://localhost/Account/Invitation/", page.Find(".fleet-invitation-url").TextContent.Trim()));
        Assert.Equal("Developer", page.Find("[data-invitation='newcomer@example.test'] .fleet-invitation-role").TextContent.Trim());
        await using (var db = Store.Db())
        {
            var invitation = await db.Invitations.SingleAsync();
            Assert.Equal((_kiosks.Id, (ApplicationRole?)ApplicationRole.Developer, OrganizationRole.Member),
                (invitation.ApplicationId, invitation.ApplicationRole, invitation.OrganizationRole));
            Assert.Equal("newcomer@example.test as Developer", (await db.ActionRuns.SingleAsync(r => r.ActionKey == "invite-member")).Options);
        }

        page.Find("[data-invitation='newcomer@example.test'] .fleet-invitation-revoke").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-invitation]")));
        await using var after = Store.Db();
        Assert.NotNull((await after.Invitations.SingleAsync()).RevokedAt);
        Assert.Equal("newcomer@example.test", (await after.ActionRuns.SingleAsync(r => r.ActionKey == "revoke-member-invitation")).Options);
    }

    [Fact]
    public void Those_who_do_not_manage_members_are_not_offered_invitations()
    {
        Assert.Empty(RenderPage("developer").FindAll("[data-invite-to], [data-invitation]"));
    }
}
