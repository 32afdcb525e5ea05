using System.Collections.Concurrent;
using System.Text;
using FleetDashboard.Core.Protocol;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Agent.Connection;

public sealed partial class DeviceAgent
{
    // Answers whose bodies the server is still reading; each is dropped when read to its end or when it is too old.
    private const int MaxAnswersInFlight = 16;
    private static readonly TimeSpan AnswerLifetime = DeviceProtocol.PublicUrlTimeout * 2;

    // The SignalR client runs the server's calls one after another: a slow web server must not hold up the device's
    // actions (or the next request) for long. Half the dashboard's limit, so the answer is in before it gives up.
    private static readonly TimeSpan LocalAnswerTimeout = DeviceProtocol.PublicUrlTimeout / 2;
    private readonly ConcurrentDictionary<string, AnswerInFlight> _answersInFlight = new();

    private sealed record AnswerInFlight(Stream Body, CancellationTokenSource Expiry);

    /// <summary>
    /// A request to the device's public URL: served only when it names this device, by the device's web server, with
    /// the body's first part in the answer and the rest kept for <see cref="DeviceProtocol.ReadPublicUrlBody"/>.
    /// </summary>
    private async Task<PublicUrlResponse> ServePublicUrlAsync(PublicUrlRequest request)
    {
        if (request.ProtocolVersion > DeviceProtocol.Version)
            return PublicUrlResponse.Refused($"the agent speaks protocol version {DeviceProtocol.Version}, not {request.ProtocolVersion}");
        if (!string.Equals(request.DeviceUuid, Identity.Uuid, StringComparison.Ordinal))
        {
            _logger.LogWarning("Device {Device}: refused a public URL request meant for device {Other}.", Identity, request.DeviceUuid);
            return PublicUrlResponse.Refused($"this is device {Identity.Uuid}, not {request.DeviceUuid}");
        }
        if (_answersInFlight.Count >= MaxAnswersInFlight) return PublicUrlResponse.Refused("too many answers in flight");

        DeviceWebAnswer answer;
        using (var timeout = new CancellationTokenSource(LocalAnswerTimeout))
        {
            try
            {
                answer = await _webServer.ServeAsync(request, timeout.Token);
            }
            catch (Exception error)
            {
                _logger.LogInformation(error, "Device {Device}: its web server did not answer a public URL request.", Identity);
                return PlainAnswer(502, $"The device's web server did not answer: {error.Message}");
            }
        }
        if (answer.Headers.Sum(h => h.Name.Length + h.Value.Length) > DeviceProtocol.PublicUrlMaxHeaderBytes)
        {
            await answer.Body.DisposeAsync();
            return PublicUrlResponse.Refused($"the answer's headers are larger than {DeviceProtocol.PublicUrlMaxHeaderBytes} bytes");
        }
        byte[] first;
        try
        {
            first = await ReadPartAsync(answer.Body);
        }
        catch (Exception error)
        {
            await answer.Body.DisposeAsync();
            return PlainAnswer(502, $"The device's web server did not send its answer: {error.Message}");
        }
        if (first.Length < DeviceProtocol.PublicUrlBodyPartBytes)
        {
            await answer.Body.DisposeAsync();
            return new PublicUrlResponse(answer.Status, answer.Headers, first, MoreBody: false);
        }
        var expiry = new CancellationTokenSource(AnswerLifetime);
        var inFlight = new AnswerInFlight(answer.Body, expiry);
        _answersInFlight[request.RequestId] = inFlight;
        expiry.Token.Register(() => Forget(request.RequestId, inFlight));
        return new PublicUrlResponse(answer.Status, answer.Headers, first, MoreBody: true);
    }

    /// <summary>The next part of an answer's body; empty when it is complete (and then forgotten).</summary>
    private async Task<byte[]> ReadPublicUrlBodyAsync(string requestId)
    {
        if (!_answersInFlight.TryGetValue(requestId, out var inFlight))
            throw new InvalidOperationException("No answer in flight has that id (it is complete, or too old).");
        var part = await ReadPartAsync(inFlight.Body);
        if (part.Length == 0) Forget(requestId, inFlight);
        return part;
    }

    private void Forget(string requestId, AnswerInFlight inFlight)
    {
        if (!_answersInFlight.TryRemove(new KeyValuePair<string, AnswerInFlight>(requestId, inFlight))) return;
        inFlight.Body.Dispose();
        inFlight.Expiry.Dispose();
    }

    private void StopServingPublicUrls()
    {
        foreach (var (requestId, inFlight) in _answersInFlight) Forget(requestId, inFlight);
        (_webServer as IDisposable)?.Dispose();
    }

    private static async Task<byte[]> ReadPartAsync(Stream body)
    {
        var buffer = new byte[DeviceProtocol.PublicUrlBodyPartBytes];
        using var timeout = new CancellationTokenSource(LocalAnswerTimeout);
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, timeout.Token);
        return read == buffer.Length ? buffer : buffer[..read];
    }

    private static PublicUrlResponse PlainAnswer(int status, string text) =>
        new(status, [new PublicUrlHeader("Content-Type", "text/plain; charset=utf-8")], Encoding.UTF8.GetBytes(text), MoreBody: false);
}
