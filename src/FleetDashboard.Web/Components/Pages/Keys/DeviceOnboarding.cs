using System.Text.Json;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Web.Components.Pages.Keys;

/// <summary>
/// What a new provisioning key is shown with, once: the simulator's command line that enrols devices with it, and
/// the request a real device makes to register (the one the agent's DeviceAgent.RegisterAsync sends).
/// </summary>
public sealed record DeviceOnboarding(Uri Server, string ProvisioningKey, string DeviceType)
{
    /// <summary>The dashboard's address without the trailing slash, as the simulator's --server and a device take it.</summary>
    public string ServerText => Server.ToString().TrimEnd('/');

    /// <summary>
    /// Run from a checkout of the repository (README, "Simulated devices"). The key is base64url and the device type a
    /// slug, so nothing here needs quoting in a shell.
    /// </summary>
    public string SimulateCommand =>
        $"dotnet run --project src/FleetDashboard.Simulator -- simulate --server {ServerText} --provisioning-key {ProvisioningKey} --devices 1 --device-type {DeviceType}";

    /// <summary>A device registers once and keeps the credential it is answered with; the key is not needed again.</summary>
    public string RegisterSnippet
    {
        get
        {
            var body = JsonSerializer.Serialize(new RegisterRequest(DeviceProtocol.Version, ProvisioningKey, DeviceType, null, "2.13.1", "1.4.2"),
                JsonSerializerOptions.Web);
            return $"""
                # Once, on the device: the answer holds its uuid and its own credential; keep them, then connect
                # to {ServerText}{DeviceProtocol.HubPath} with that credential.
                curl -sS -X POST {ServerText}{DeviceProtocol.RegisterPath} \
                  -H 'Content-Type: application/json' \
                  -d '{body}'
                """;
        }
    }
}
