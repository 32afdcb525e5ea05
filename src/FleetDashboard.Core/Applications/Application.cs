using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Applications;

/// <summary>A fleet: devices of one default device type running the same releases.</summary>
public sealed class Application
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public required string Name { get; set; }
    public ApplicationType Type { get; set; }
    public required string DefaultDeviceType { get; set; }
    public int? TargetReleaseId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public Architecture Architecture => DeviceType.Get(DefaultDeviceType).Architecture;
}

/// <summary>A build of an application's services.</summary>
public sealed class Release
{
    public int Id { get; set; }
    public int ApplicationId { get; set; }

    /// <summary>The build's commit (or image digest): what a device reports it runs.</summary>
    public required string Commit { get; set; }

    /// <summary>What people call it ("1.4.0"), unique in its application.</summary>
    public required string Version { get; set; }

    /// <summary>What changed, in the developer's words; may be empty.</summary>
    public string Note { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    /// <summary>Service name → image.</summary>
    public Dictionary<string, string> Services { get; set; } = [];
}
