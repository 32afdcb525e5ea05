using System.Security.Claims;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.People;

/// <summary>An invitation as made: the core's refusal, or its link (shown this once) and what became of its mail.</summary>
public sealed record IssuedInvitation(string? Refusal, string? Link = null, MailOutcome Mail = MailOutcome.NotConfigured)
{
    /// <summary>What the administrator is told about the mail, beside the link.</summary>
    public string MailNote(string email) => Mail switch
    {
        MailOutcome.Sent => $"It was also mailed to {email}.",
        MailOutcome.Failed => $"The mail to {email} could not be sent: send the link yourself. The invitation stands.",
        _ => $"No mail server is configured: send the link to {email} yourself.",
    };
}

/// <summary>An invitation as its link shows it to whoever opens it: where it leads, and why it no longer works if it does not.</summary>
public sealed record OpenedInvitation(int OrganizationId, string OrganizationName, int? ApplicationId, string? ApplicationName,
    string Email, string Role, string InvitedBy, string? Problem, bool AccountExists)
{
    public string Where => ApplicationName ?? OrganizationName;

    /// <summary>Where the person lands once they joined: the application they were invited to, or their applications.</summary>
    public string Destination => ApplicationId is { } id ? $"applications/{id}" : "applications";
}

/// <summary>
/// Invitations around the action pipeline: making one (through <see cref="ActionService"/>, then its link and its mail),
/// and reading one by the token its link carries, for the anonymous page that opens it. Accepting is an action too.
/// </summary>
public sealed class InvitationService(ActionService actions, IDbContextFactory<FleetDbContext> dbs, InvitationMail mail,
    PublicBaseAddress publicAddress, TimeProvider clock)
{
    /// <summary>Where a link leads, under the public address when one is configured (it carries a bearer token).</summary>
    public string Link(string token, string pageBaseUri) => publicAddress.Of($"Account/Invitation/{token}", pageBaseUri).ToString();

    /// <summary>Invites through the pipeline (checked in the core, recorded), then mails the link when SMTP is configured.</summary>
    public async Task<IssuedInvitation> InviteAsync(ClaimsPrincipal user, ActionRequest request, string pageBaseUri, CancellationToken ct = default)
    {
        var (run, token) = await actions.IssueAsync(user, request, ct);
        if (run.Refusal is not null || token is null) return new IssuedInvitation(run.Refusal ?? "The invitation was not made.");
        var link = Link(token, pageBaseUri);
        var invitation = (await OpenAsync(token, ct))!;
        var sent = await mail.SendAsync(invitation.Email, $"Your invitation to {invitation.Where} on FleetDashboard",
            $"""
             {invitation.InvitedBy} invited you to {invitation.Where} as {invitation.Role}.

             Open this link to set your password and join (it works once, until {Invitation.When(clock.GetUtcNow() + Invitation.Lifetime)}):
             {link}
             """, ct);
        return new IssuedInvitation(null, link, sent);
    }

    /// <summary>The invitation a link's token opens, or null when no invitation has that token.</summary>
    public async Task<OpenedInvitation?> OpenAsync(string token, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var hash = Secret.Hash(token);
        var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null) return null;
        var organization = await db.Organizations.Where(o => o.Id == invitation.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        var application = invitation.ApplicationId is { } id
            ? await db.Applications.Where(a => a.Id == id && a.OrganizationId == invitation.OrganizationId).Select(a => a.Name).SingleOrDefaultAsync(ct)
            : null;
        var normalized = invitation.Email.ToUpperInvariant();
        return new OpenedInvitation(invitation.OrganizationId, organization, invitation.ApplicationId, application, invitation.Email,
            invitation.RoleText, invitation.InvitedBy, invitation.Problem(clock.GetUtcNow()),
            await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct));
    }

    /// <summary>Accepts the invitation as <paramref name="user"/>, through the pipeline: the core's refusal, or null once they joined.</summary>
    public async Task<string?> AcceptAsync(ClaimsPrincipal user, OpenedInvitation invitation, string token, CancellationToken ct = default) =>
        (await actions.RunAsync(user, ActionRequest.In(invitation.OrganizationId, new AcceptInvitation(token)), ct)).Refusal;
}
