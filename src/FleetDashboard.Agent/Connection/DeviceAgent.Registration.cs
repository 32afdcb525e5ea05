using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Connection;

public sealed partial class DeviceAgent
{
    /// <summary>
    /// Registers a new device with a provisioning key: the server answers with the device's identity and its
    /// own credential, which the device keeps (here: the returned <see cref="DeviceIdentity"/>).
    /// </summary>
    /// <exception cref="DeviceRegistrationException">The server said no; its reason is in the message.</exception>
    public static async Task<DeviceIdentity> RegisterAsync(HttpClient http, Uri server, string provisioningKey,
        SimulatedDevice device, CancellationToken cancellationToken = default)
    {
        var request = new RegisterRequest(DeviceProtocol.Version, provisioningKey, device.DeviceType, device.Name,
            device.HostOsVersion, device.AgentVersion);
        var url = new Uri(server.ToString().TrimEnd('/') + DeviceProtocol.RegisterPath);
        using var response = await PostUntilAdmittedAsync(http, url, request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new DeviceRegistrationException(response.StatusCode, ServerMessage(body, response.ReasonPhrase));
        }

        var registered = await response.Content.ReadFromJsonAsync<RegisterResponse>(cancellationToken)
            ?? throw new DeviceRegistrationException(response.StatusCode, "the server answered with no identity");
        device.AssignIdentity(registered.Uuid, registered.Name, TimeSpan.FromSeconds(registered.PollIntervalSeconds));
        return new DeviceIdentity(registered.Uuid, registered.Name, registered.Credential);
    }

    /// <summary>
    /// Posts the registration, and again after the server's Retry-After for as long as it answers 429 (too many
    /// registrations at once): a fleet that registers together is admitted at the server's pace. The jitter spreads
    /// the devices that were told the same wait.
    /// </summary>
    private static async Task<HttpResponseMessage> PostUntilAdmittedAsync(HttpClient http, Uri url, RegisterRequest request,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var response = await http.PostAsJsonAsync(url, request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || response.Headers.RetryAfter?.Delta is not { } wait)
                return response;
            response.Dispose();
            await Task.Delay(wait * (1 + Random.Shared.NextDouble()), cancellationToken);
        }
    }

    /// <summary>The reason a person can read: a problem's detail or title, a JSON error, or the body as text.</summary>
    private static string ServerMessage(string body, string? reasonPhrase)
    {
        const int longest = 500;
        var text = body.Trim();
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "detail", "title", "error", "message" })
                {
                    if (json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                        && value.GetString() is { Length: > 0 } found)
                        return found;
                }
            }
            else if (json.RootElement.ValueKind == JsonValueKind.String && json.RootElement.GetString() is { Length: > 0 } said)
            {
                return said;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the body is the message.
        }
        if (text.Length == 0) return reasonPhrase ?? "no reason given";
        return text.Length <= longest ? text : text[..longest] + "…";
    }
}
