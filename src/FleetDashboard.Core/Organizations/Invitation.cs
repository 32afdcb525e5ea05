using System.Globalization;
using System.Net.Mail;
using FleetDashboard.Core.Applications;

namespace FleetDashboard.Core.Organizations;

public enum InvitationState { Pending, Used, Expired, Revoked }

/// <summary>
/// A one-time link that brings a person in by email: into an organization with an organization role, or into one of
/// its applications with an application role (and so into the organization as a Member). Only a hash of its token is
/// kept (<see cref="Access.Secret"/>); the administrator copies the link when it is made, and it is never shown again.
/// </summary>
public sealed class Invitation
{
    /// <summary>How long a link works: long enough for a colleague back from a week away, short enough to go stale.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public int Id { get; set; }
    public int OrganizationId { get; set; }

    /// <summary>The application the person is invited to, or null for the organization itself.</summary>
    public int? ApplicationId { get; set; }

    public required string Email { get; set; }
    public OrganizationRole OrganizationRole { get; set; }
    public ApplicationRole? ApplicationRole { get; set; }
    public required string TokenHash { get; set; }
    public required string InvitedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public string? UsedByUserId { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public InvitationState StateAt(DateTimeOffset now) =>
        UsedAt is not null ? InvitationState.Used
        : RevokedAt is not null ? InvitationState.Revoked
        : now >= ExpiresAt ? InvitationState.Expired
        : InvitationState.Pending;

    public bool IsPendingAt(DateTimeOffset now) => StateAt(now) == InvitationState.Pending;

    /// <summary>Why the link no longer works, said to whoever opens it; null while it is pending.</summary>
    public string? Problem(DateTimeOffset now) => StateAt(now) switch
    {
        InvitationState.Used => $"This invitation was already used on {When(UsedAt!.Value)}: sign in instead.",
        InvitationState.Revoked => $"This invitation was revoked on {When(RevokedAt!.Value)}: ask whoever invited you for a new one.",
        InvitationState.Expired => $"This invitation expired on {When(ExpiresAt)}: ask whoever invited you for a new one.",
        _ => null,
    };

    public bool IsFor(string email) => string.Equals(Email.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>"Developer" or "organization Administrator": what the person will be.</summary>
    public string RoleText => ApplicationRole is { } role ? role.ToString() : $"organization {OrganizationRole}";

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Why <paramref name="email"/> cannot be invited (not an address a mail can go to), or null.</summary>
    public static string? EmailProblem(string email) =>
        IsEmailAddress(email) ? null : $"\"{email}\" is not an email address.";

    /// <summary>One address, as typed, with a dotted domain: what a person signs in with.</summary>
    public static bool IsEmailAddress(string value) =>
        value.Length <= 256 && MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.');
}
