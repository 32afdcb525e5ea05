namespace FleetDashboard.Core.Protocol;

/// <summary>One header line; a header with several values comes as several lines.</summary>
public sealed record PublicUrlHeader(string Name, string Value);

/// <summary>
/// A request to a device's public URL, as the dashboard forwards it (hop-by-hop headers gone, X-Forwarded-* added).
/// It names the device it is meant for: an agent answers only requests for its own <paramref name="DeviceUuid"/>.
/// </summary>
public sealed record PublicUrlRequest(
    int ProtocolVersion,
    string DeviceUuid,
    string RequestId,
    string Method,
    string PathAndQuery,
    IReadOnlyList<PublicUrlHeader> Headers,
    byte[] Body);

/// <summary>
/// The device's answer: its status, headers and the first part of its body; when <paramref name="MoreBody"/> is set the
/// dashboard reads the rest with <see cref="DeviceProtocol.ReadPublicUrlBody"/>. <paramref name="Refusal"/> says why the
/// agent would not serve the request at all.
/// </summary>
public sealed record PublicUrlResponse(
    int Status,
    IReadOnlyList<PublicUrlHeader> Headers,
    byte[] Body,
    bool MoreBody,
    string? Refusal = null)
{
    public static PublicUrlResponse Refused(string reason) => new(0, [], [], false, reason);
}
