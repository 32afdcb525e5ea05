using System.Net;

namespace FleetDashboard.Agent.Connection;

/// <summary>The server would not register the device; the message carries the server's own reason.</summary>
public sealed class DeviceRegistrationException(HttpStatusCode statusCode, string serverMessage)
    : Exception($"The server refused to register the device ({(int)statusCode} {statusCode}): {serverMessage}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;
    public string ServerMessage { get; } = serverMessage;
}
