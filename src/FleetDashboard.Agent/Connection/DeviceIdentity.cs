namespace FleetDashboard.Agent.Connection;

/// <summary>Who a device is to the server, and the credential that proves it (its only copy is here).</summary>
public sealed record DeviceIdentity(string Uuid, string Name, string Credential)
{
    // Keep the credential out of logs and test output.
    public override string ToString() => $"{Name} ({Uuid})";
}
