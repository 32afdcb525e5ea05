using System.Net;
using System.Net.WebSockets;
using FleetDashboard.Agent.Simulation;
using Microsoft.AspNetCore.SignalR.Client;

namespace FleetDashboard.Agent.Connection;

/// <summary>
/// How long a device waits before trying the server again: exponential from the first delay, capped, with
/// jitter, and forever, except when the server refuses the credential: retrying cannot fix that.
/// </summary>
public sealed class ReconnectBackoff(
    SimulationOptions options, Action<Exception>? credentialRefused = null, Random? random = null) : IRetryPolicy
{
    private readonly Random _random = random ?? Random.Shared;

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        if (IsCredentialRefused(retryContext.RetryReason))
        {
            credentialRefused?.Invoke(retryContext.RetryReason!);
            return null;
        }
        return DelayAfter(retryContext.PreviousRetryCount);
    }

    /// <summary>
    /// The wait after <paramref name="failures"/> failed attempts: a uniform pick in [½·d, d] where d doubles
    /// from the first delay up to the cap. The jitter spreads a fleet that lost the server at the same moment,
    /// so it does not come back in one wave; the lower half-bound keeps the back-off a back-off.
    /// </summary>
    public TimeSpan DelayAfter(long failures)
    {
        var exponent = Math.Clamp(failures, 0, 40);
        var ceiling = Math.Min(options.FirstReconnectDelay.TotalMilliseconds * Math.Pow(2, exponent),
            options.MaxReconnectDelay.TotalMilliseconds);
        double sample;
        lock (_random) sample = _random.NextDouble();
        return options.Scale(TimeSpan.FromMilliseconds(ceiling * (0.5 + 0.5 * sample)));
    }

    /// <summary>An HTTP 401 anywhere in the failure: the server does not accept this device's credential.</summary>
    public static bool IsCredentialRefused(Exception? error) => error switch
    {
        null => false,
        HttpRequestException { StatusCode: HttpStatusCode.Unauthorized } => true,
        // Only when a caller skips negotiation: the WebSocket upgrade itself was answered 401.
        WebSocketException socket when socket.Message.Contains("'401'", StringComparison.Ordinal) => true,
        AggregateException many => many.InnerExceptions.Any(IsCredentialRefused),
        _ => IsCredentialRefused(error.InnerException),
    };
}
