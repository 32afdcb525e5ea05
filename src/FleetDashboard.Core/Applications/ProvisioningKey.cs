namespace FleetDashboard.Core.Applications;

/// <summary>
/// What a new device registers with to join an application: revocable, and optionally good only until a moment
/// or for a number of devices, so that a key that leaks from a provisioning line cannot enrol a fleet of strangers.
/// Only its hash is kept.
/// </summary>
public sealed class ProvisioningKey
{
    public int Id { get; set; }
    public int ApplicationId { get; set; }
    public required string Name { get; set; }
    public required string KeyHash { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When the key stops registering devices; null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>How many devices the key may register in all; null: any number.</summary>
    public int? MaxUses { get; set; }

    /// <summary>How many devices the key has registered (deleting one gives no use back).</summary>
    public int Uses { get; set; }

    /// <summary>When it last registered a device: a key that keeps being used after the line closed has leaked.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Not revoked. An active key may still be expired or used up: see <see cref="Refusal"/>.</summary>
    public bool IsActive => RevokedAt is null;

    /// <summary>Whether the key registers devices at <paramref name="now"/>, and if not, why not.</summary>
    public ProvisioningKeyState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? ProvisioningKeyState.Revoked
        : ExpiresAt <= now ? ProvisioningKeyState.Expired
        : MaxUses is { } most && Uses >= most ? ProvisioningKeyState.UsedUp
        : ProvisioningKeyState.Active;

    /// <summary>Why the key registers no device at <paramref name="now"/>, in words the device logs; null when it does.</summary>
    public string? Refusal(DateTimeOffset now) => StateAt(now) switch
    {
        ProvisioningKeyState.Revoked => $"The provisioning key \"{Name}\" was revoked on {RevokedAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC.",
        ProvisioningKeyState.Expired => $"The provisioning key \"{Name}\" expired on {ExpiresAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC.",
        ProvisioningKeyState.UsedUp => $"The provisioning key \"{Name}\" is used up: it registers at most {English.Count(MaxUses!.Value, "device")}.",
        _ => null,
    };
}

/// <summary>Whether a provisioning key registers devices now; revoked wins over expired, expired over used up.</summary>
public enum ProvisioningKeyState { Active, Expired, UsedUp, Revoked }

/// <summary>A revocable, read-only link that shows one application (optionally one saved view) on a wall screen.</summary>
public sealed class WallDisplayLink
{
    public int Id { get; set; }
    public int ApplicationId { get; set; }
    public int? SavedViewId { get; set; }
    public required string TokenHash { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsActive => RevokedAt is null;
}
