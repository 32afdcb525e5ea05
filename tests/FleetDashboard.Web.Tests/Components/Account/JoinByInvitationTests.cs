using System.Net;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.People;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Components.Account;

/// <summary>
/// The anonymous page an invitation's link opens, over real HTTP with real form posts: a new person sets a password and
/// lands where they were invited; used, expired and revoked links say which; a person with an account signs in first.
/// </summary>
public class JoinByInvitationTests(FleetServer server) : IClassFixture<FleetServer>
{
    private const string Password = "Joined-by-link-1";

    private static string NewEmail() => $"invited-{Guid.NewGuid():N}@acme.test";

    /// <summary>An organization with its administrator and an application, and an invitation made through the pipeline.</summary>
    private async Task<(string Token, int OrganizationId, int ApplicationId, FleetUser Admin)> InviteAsync(string email, ApplicationRole role)
    {
        var admin = await server.CreateUserAsync(NewEmail(), Password);
        var (organizationId, applicationId) = await server.QueryAsync(async db =>
        {
            var organization = new Organization { Name = $"Org {Guid.NewGuid():N}", Plan = OrganizationPlan.Paid, BillingAccountValid = true };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync();
            db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = organization.Id, UserId = admin.Id, Role = OrganizationRole.Administrator });
            var application = new Application { OrganizationId = organization.Id, Name = "kiosks", DefaultDeviceType = "raspberrypi4-64" };
            db.Applications.Add(application);
            await db.SaveChangesAsync();
            return (organization.Id, application.Id);
        });
        var actions = server.Services.GetRequiredService<ActionService>();
        var (run, token) = await actions.IssueAsync(FleetStore.SignedIn(admin), ActionRequest.On(applicationId, new InviteMember(email, role)));
        Assert.Null(run.Refusal);
        return (token!, organizationId, applicationId, admin);
    }

    private static string PathOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location.AbsolutePath : "/" + location.OriginalString.Split('?')[0].TrimStart('/');
    }

    private static Task<HttpResponseMessage> JoinAsync(FleetBrowser browser, string token, string password, string confirm) =>
        browser.SubmitFormAsync($"Account/Invitation/{token}", "join", new Dictionary<string, string>
        {
            ["Join.DisplayName"] = "New Colleague",
            ["Join.Password"] = password,
            ["Join.ConfirmPassword"] = confirm,
        });

    [Fact]
    public async Task A_new_person_sets_a_password_and_lands_on_the_application_with_the_invited_role()
    {
        var email = NewEmail();
        var (token, _, applicationId, admin) = await InviteAsync(email, ApplicationRole.Developer);
        using var browser = server.CreateBrowser();

        var page = await browser.GetPageAsync($"Account/Invitation/{token}");
        Assert.Contains($"invited <strong>{email}</strong> to kiosks as Developer", page);

        using var joined = await JoinAsync(browser, token, Password, Password);

        Assert.Equal($"/applications/{applicationId}", PathOf(joined));
        Assert.True(browser.HasAuthCookie);
        var application = await browser.GetPageAsync($"applications/{applicationId}");
        Assert.Contains("Developer", application);
        var (role, invitation, run) = await server.QueryAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == email);
            return (await db.ApplicationMembers.Where(m => m.UserId == user.Id).Select(m => m.Role).SingleAsync(),
                await db.Invitations.SingleAsync(i => i.Email == email),
                await db.ActionRuns.SingleAsync(r => r.ActionKey == "accept-invitation" && r.ActorUserId == user.Id));
        });
        Assert.Equal(ApplicationRole.Developer, role);
        Assert.NotNull(invitation.UsedAt);
        Assert.Equal((applicationId, $"{email} as Developer on kiosks", (string?)null), (run.ApplicationId, run.Options, run.Refusal));
        Assert.NotEqual(admin.Id, run.ActorUserId);

        // The link worked once.
        using var again = server.CreateBrowser();
        Assert.Contains("This invitation was already used on", await again.GetPageAsync($"Account/Invitation/{token}"));
    }

    [Fact]
    public async Task A_password_that_breaks_the_rules_makes_no_account()
    {
        var email = NewEmail();
        var (token, _, _, _) = await InviteAsync(email, ApplicationRole.Observer);
        using var browser = server.CreateBrowser();

        using var weak = await JoinAsync(browser, token, "short", "short");

        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("Passwords must be at least 8 characters", WebUtility.HtmlDecode(await weak.Content.ReadAsStringAsync()));
        Assert.Null(await server.FindUserAsync(email));
        Assert.False(browser.HasAuthCookie);
    }

    [Fact]
    public async Task A_revoked_link_says_so_and_takes_no_password()
    {
        var email = NewEmail();
        var (token, organizationId, _, admin) = await InviteAsync(email, ApplicationRole.Observer);
        var invitationId = await server.QueryAsync(db => db.Invitations.Where(i => i.Email == email).Select(i => i.Id).SingleAsync());
        var revoked = await server.Services.GetRequiredService<ActionService>()
            .RunAsync(FleetStore.SignedIn(admin), ActionRequest.In(organizationId, new RevokeInvitation(invitationId)));
        Assert.Null(revoked.Refusal);
        using var browser = server.CreateBrowser();

        var page = await browser.GetPageAsync($"Account/Invitation/{token}");

        Assert.Contains("This invitation was revoked on", page);
        Assert.DoesNotContain("Join.Password", page);
    }

    [Fact]
    public async Task An_expired_link_says_so()
    {
        var email = NewEmail();
        var (token, _, _, _) = await InviteAsync(email, ApplicationRole.Observer);
        await server.QueryAsync(db => db.Invitations.Where(i => i.Email == email)
            .ExecuteUpdateAsync(i => i.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        using var browser = server.CreateBrowser();

        Assert.Contains("This invitation expired on", await browser.GetPageAsync($"Account/Invitation/{token}"));
    }

    [Fact]
    public async Task An_unknown_link_says_it_is_not_valid()
    {
        using var browser = server.CreateBrowser();

        Assert.Contains("This invitation link is not valid", await browser.GetPageAsync("Account/Invitation/not-a-token"));
    }

    [Fact]
    public async Task Someone_with_an_account_signs_in_then_accepts()
    {
        var email = NewEmail();
        await server.CreateUserAsync(email, Password);
        var (token, _, applicationId, _) = await InviteAsync(email, ApplicationRole.Operator);
        using var browser = server.CreateBrowser();

        Assert.Contains("sign in</a> to accept", await browser.GetPageAsync($"Account/Invitation/{token}"));
        using var signIn = await browser.SignInAsync(email, Password, $"Account/Login?ReturnUrl=%2FAccount%2FInvitation%2F{token}");
        Assert.Equal($"/Account/Invitation/{token}", PathOf(signIn));
        using var accepted = await browser.SubmitFormAsync($"Account/Invitation/{token}", "accept-invitation", new Dictionary<string, string>());

        Assert.Equal($"/applications/{applicationId}", PathOf(accepted));
        Assert.Equal(ApplicationRole.Operator, await server.QueryAsync(db =>
            db.ApplicationMembers.Where(m => m.ApplicationId == applicationId && db.Users.Any(u => u.Id == m.UserId && u.Email == email))
                .Select(m => m.Role).SingleAsync()));
    }
}
