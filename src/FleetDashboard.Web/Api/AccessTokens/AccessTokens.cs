using System.Security.Claims;
using FleetDashboard.Core.Access;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Api.AccessTokens;

/// <summary>One of a person's tokens as their account page lists it (never its secret).</summary>
public sealed record AccessTokenRow(int Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt, string? Refusal);

/// <summary>A token just made: its secret, shown once; or why none was made.</summary>
public sealed record IssuedAccessToken(string? Secret, string? Problem);

/// <summary>Whom a bearer secret stands for, or why it stands for no one.</summary>
public sealed record TokenHolder(FleetUser? User, int TokenId, string TokenName, string? Problem);

/// <summary>
/// A person's own personal access tokens: made, listed and revoked by that person only, each call re-reading who
/// they are. The token is not an action on the fleet (it belongs to no application or organization); what a script
/// does with it goes through the action pipeline and its history like any click.
/// </summary>
public sealed class AccessTokens(IDbContextFactory<FleetDbContext> dbs, TimeProvider clock, ILogger<AccessTokens> logger)
{
    public const int MaxNameLength = 100;

    /// <summary>Secrets start with this, so that a secret scanner (and a person) knows one in a log or a repository.</summary>
    public const string Prefix = "fleet_pat_";

    /// <summary>The longest a token lives: a forgotten script's token dies within a year.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    /// <summary>The lifetimes the account page offers.</summary>
    public static IReadOnlyList<TimeSpan> Lifetimes { get; } =
        [TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromDays(90), MaxLifetime];

    /// <summary>Last use is written at most this often per token: a script's every call must not be a write.</summary>
    private static readonly TimeSpan LastUseGrain = TimeSpan.FromMinutes(1);

    public async Task<IssuedAccessToken> CreateAsync(ClaimsPrincipal user, string name, TimeSpan lifetime, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength) return new(null, $"A token's name is 1 to {MaxNameLength} characters.");
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime) return new(null, "A token lives at least a moment and at most a year.");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var userId = await UserIdAsync(db, user, ct);
        var now = clock.GetUtcNow();
        if (await db.PersonalAccessTokens.AnyAsync(t => t.UserId == userId && t.Name == name && t.RevokedAt == null && t.ExpiresAt > now, ct))
            return new(null, $"You already have a token named {name}.");
        var secret = Prefix + Secret.New();
        db.PersonalAccessTokens.Add(new PersonalAccessToken
        {
            UserId = userId, Name = name, TokenHash = Secret.Hash(secret), CreatedAt = now, ExpiresAt = now + lifetime,
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("User {UserId} created the access token \"{TokenName}\", expiring {ExpiresAt:u}.", userId, name, now + lifetime);
        return new(secret, null);
    }

    /// <summary>The person's tokens, newest first, revoked and expired ones too (they say when they stopped).</summary>
    public async Task<IReadOnlyList<AccessTokenRow>> ListAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var userId = await UserIdAsync(db, user, ct);
        var now = clock.GetUtcNow();
        var tokens = await db.PersonalAccessTokens.AsNoTracking().Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).ToListAsync(ct);
        return tokens.Select(t => new AccessTokenRow(t.Id, t.Name, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, t.Refusal(now))).ToList();
    }

    /// <summary>Revokes one of the person's own tokens; false when they have no such token in force.</summary>
    public async Task<bool> RevokeAsync(ClaimsPrincipal user, int tokenId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var userId = await UserIdAsync(db, user, ct);
        var token = await db.PersonalAccessTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null, ct);
        if (token is null) return false;
        token.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("User {UserId} revoked the access token #{TokenId} \"{TokenName}\".", userId, token.Id, token.Name);
        return true;
    }

    /// <summary>The person a bearer secret stands for now, and notes its use.</summary>
    public async Task<TokenHolder> HolderAsync(string secret, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var hash = Secret.Hash(secret.Trim());
        var token = await db.PersonalAccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null) return new(null, 0, "", "The access token is unknown.");
        var now = clock.GetUtcNow();
        if (token.Refusal(now) is { } refusal) return new(null, token.Id, token.Name, refusal);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == token.UserId, ct);
        if (user is null) return new(null, token.Id, token.Name, "The access token's account no longer exists.");
        if (token.LastUsedAt is not { } last || now - last >= LastUseGrain)
            await db.PersonalAccessTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), ct);
        return new(user, token.Id, token.Name, null);
    }

    private static async Task<string> UserIdAsync(FleetDbContext db, ClaimsPrincipal user, CancellationToken ct) =>
        (await db.ActorAsync(user, ct)).UserId;
}
