using FleetDashboard.Core.Applications;

namespace FleetDashboard.Core.Devices;

/// <summary>One device of a fleet, as the server knows it.</summary>
public sealed class Device
{
    public int Id { get; set; }

    /// <summary>32 lowercase hex digits.</summary>
    public required string Uuid { get; set; }
    public required string Name { get; set; }
    public required string DeviceType { get; set; }

    /// <summary>Null once the device was deleted or its application was: it is orphaned and its credential dead.</summary>
    public int? ApplicationId { get; set; }
    public DateTimeOffset? OrphanedAt { get; set; }

    public FleetVersion HostOsVersion { get; set; }
    public FleetVersion AgentVersion { get; set; }

    /// <summary>The host OS version an operator asked for and the device has not reached yet.</summary>
    public FleetVersion? TargetHostOsVersion { get; set; }

    /// <summary>Whether that host OS update goes through a held update lock.</summary>
    public bool TargetHostOsForced { get; set; }

    /// <summary>Commit of the release the device runs, if any.</summary>
    public string? ReleaseCommit { get; set; }

    /// <summary>A release of its application the device installs instead of the application's target; null: it follows the target.</summary>
    public int? PinnedReleaseId { get; set; }

    public DateTimeOffset ProvisionedAt { get; set; }
    public DateTimeOffset? FirstConnectedAt { get; set; }

    /// <summary>Last report or heartbeat.</summary>
    public DateTimeOffset? LastContactAt { get; set; }

    /// <summary>Since when its live connection is open; null while it has none.</summary>
    public DateTimeOffset? ConnectedAt { get; set; }

    /// <summary>When its last connection closed, as this server saw it close.</summary>
    public DateTimeOffset? DisconnectedAt { get; set; }
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(10);
    public DeviceProgress Progress { get; set; }

    /// <summary>How far the current work has come, as the device reported it (0–100).</summary>
    public int? ProgressPercent { get; set; }
    public string IpAddresses { get; set; } = "";

    public bool PublicUrlEnabled { get; set; }
    public bool LocalMode { get; set; }
    public bool UpdateLockHeld { get; set; }
    public bool LockOverride { get; set; }
    public DateTimeOffset? DeactivatedAt { get; set; }

    public List<DeviceTag> Tags { get; set; } = [];

    /// <summary>The provisioning key it registered with; null for a device that came another way (the demo seed).</summary>
    public int? ProvisioningKeyId { get; set; }

    /// <summary>SHA-256 of the device's own credential; the credential itself is shown to the device once.</summary>
    public string? CredentialHash { get; set; }

    public string ShortUuid => Uuid[..Math.Min(7, Uuid.Length)];

    // Derived values kept beside what they derive from, so that a store can sort and filter by them. The
    // setters exist for the store only; what they are given is ignored.

    /// <summary>Until when the last heartbeat keeps the device Online without a connection; null when it does not.</summary>
    public DateTimeOffset? HeartbeatExpiresAt
    {
        get => HeartbeatExpiry(LastContactAt, DisconnectedAt, PollInterval);
        private set { }
    }

    /// <summary>
    /// <see cref="HeartbeatExpiresAt"/> from what it derives from, for a store that writes it without loading the
    /// device: a close seen at or after the last contact means no heartbeat carries the device.
    /// </summary>
    public static DateTimeOffset? HeartbeatExpiry(DateTimeOffset? lastContact, DateTimeOffset? disconnectedAt, TimeSpan pollInterval) =>
        lastContact is { } last && !(disconnectedAt >= last) ? last + DeviceStatusRules.OnlineWindow(pollInterval) : null;

    public string HostOsSortKey
    {
        get => HostOsVersion.SortKey;
        private set { }
    }

    public string AgentSortKey
    {
        get => AgentVersion.SortKey;
        private set { }
    }
    public Architecture Architecture => Devices.DeviceType.Get(DeviceType).Architecture;
    public bool IsOrphaned => ApplicationId is null;

    public string PublicUrl(string devicesDomain) => $"https://{Uuid}.{devicesDomain}";

    public static bool IsValidUuid(string? uuid) =>
        uuid is { Length: 32 } && uuid.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static string NewUuid() => Guid.NewGuid().ToString("N");

    /// <summary>Adds a tag, or replaces the value of the tag of that name.</summary>
    public void SetTag(string name, string? value)
    {
        if (TagRules.Problem(name, value) is { } problem) throw new FleetDomainException(problem);
        var tag = Tags.FirstOrDefault(t => t.Name == name);
        if (tag is null) Tags.Add(new DeviceTag { Name = name, Value = value });
        else tag.Value = value;
    }

    public string? TagValue(string name) => Tags.FirstOrDefault(t => t.Name == name)?.Value;

    /// <summary>Cuts the device off its application; its credential stops working.</summary>
    public void Orphan(DateTimeOffset now)
    {
        ApplicationId = null;
        OrphanedAt = now;
        Disconnected(now);
    }

    /// <summary>The device's live connection closed: it is Offline at once, whatever its last heartbeat.</summary>
    public void Disconnected(DateTimeOffset now)
    {
        ConnectedAt = null;
        DisconnectedAt = now;
    }

    /// <summary>
    /// The device's live connection opened: it is Online, it has connected at least once, and a deactivated
    /// device is active again ("inactive until it next comes online").
    /// </summary>
    public void Connected(DateTimeOffset now)
    {
        ConnectedAt = now;
        FirstConnectedAt ??= now;
        LastContactAt = now;
        DeactivatedAt = null;
    }
}
