using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetDashboard.Web.Api.AccessTokens;

/// <summary>
/// A secret a person makes on their account page so that a script can call the HTTP API as them: with their roles
/// and nothing more, until it expires or they revoke it. Only its hash is kept; the secret is shown once.
/// </summary>
public sealed class PersonalAccessToken
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Why the token lets no call in at <paramref name="now"/>; null when it does.</summary>
    public string? Refusal(DateTimeOffset now) =>
        RevokedAt is { } revoked ? $"The access token \"{Name}\" was revoked on {revoked.UtcDateTime:yyyy-MM-dd HH:mm} UTC."
        : ExpiresAt <= now ? $"The access token \"{Name}\" expired on {ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC."
        : null;
}

internal sealed class PersonalAccessTokenMapping : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> token)
    {
        token.HasOne<FleetUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        token.Property(x => x.Name).HasMaxLength(AccessTokens.MaxNameLength);
        token.Property(x => x.TokenHash).HasMaxLength(64);
        token.HasIndex(x => x.TokenHash).IsUnique();
        token.HasIndex(x => x.UserId);
    }
}
