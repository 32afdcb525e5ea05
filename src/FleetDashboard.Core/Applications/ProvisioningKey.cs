namespace FleetDashboard.Core.Applications;

/// <summary>What a new device registers with to join an application; revocable. Only its hash is kept.</summary>
public sealed class ProvisioningKey
{
    public int Id { get; set; }
    public int ApplicationId { get; set; }
    public required string Name { get; set; }
    public required string KeyHash { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsActive => RevokedAt is null;
}

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
