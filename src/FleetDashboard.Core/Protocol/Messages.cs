using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Protocol;

/// <summary>POSTed to <see cref="DeviceProtocol.RegisterPath"/> by a device that has never registered.</summary>
public sealed record RegisterRequest(
    int ProtocolVersion,
    string ProvisioningKey,
    string DeviceType,
    string? Name,
    string HostOsVersion,
    string AgentVersion);

/// <summary>The device's identity and its credential (shown once; the server keeps only its hash).</summary>
public sealed record RegisterResponse(string Uuid, string Name, string Credential, int PollIntervalSeconds);

/// <summary>
/// The device's state as it sees it. <c>Work</c> keeps its wire name; it is the core's
/// <see cref="DeviceProgress"/>, whose names and values the wire already carried.
/// </summary>
public sealed record DeviceReport(
    int ProtocolVersion,
    string HostOsVersion,
    string AgentVersion,
    string? ReleaseCommit,
    IReadOnlyList<string> IpAddresses,
    bool UpdateLockHeld,
    DeviceProgress Work,
    int? ProgressPercent);

public enum DeviceCommand { Restart, Purge, Reboot, Shutdown, Identify }

/// <summary>An immediate action sent over the live connection; never queued.</summary>
public sealed record ActionCommand(int ProtocolVersion, long ActionRunId, DeviceCommand Command, bool Force);

public enum ActionResultKind { Succeeded, Failed, Refused }

/// <summary>The device's answer to an <see cref="ActionCommand"/>.</summary>
public sealed record ActionResult(ActionResultKind Kind, string? Reason = null)
{
    public static ActionResult Succeeded { get; } = new(ActionResultKind.Succeeded);
    public static ActionResult LockHeld { get; } = new(ActionResultKind.Refused, "update lock held");
}

/// <summary>What the dashboard wants the device to be. Local mode means: ignore the rest.</summary>
public sealed record TargetState(
    int ProtocolVersion,
    int ApplicationId,
    string ApplicationName,
    string DeviceType,
    string? ReleaseCommit,
    IReadOnlyDictionary<string, string> Services,
    bool PublicUrl,
    bool LocalMode,
    bool LockOverride,
    string? HostOsVersion,
    bool HostOsForced,
    int PollIntervalSeconds);
