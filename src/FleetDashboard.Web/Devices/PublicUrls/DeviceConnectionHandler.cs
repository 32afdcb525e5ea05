using System.Net;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FleetDashboard.Web.Devices.PublicUrls;

/// <summary>
/// The device a forwarded request goes to: its store id (for its connection), the uuid it must answer to, and the turn
/// its requests take (<see cref="DeviceTurns"/>).
/// </summary>
public sealed record PublicUrlDevice(int Id, string Uuid)
{
    public SemaphoreSlim? Turn { get; init; }
}

/// <summary>
/// The "network" under YARP: sends the request over the device's own SignalR connection
/// (<see cref="DeviceProtocol.ServePublicUrl"/>) and reads its answer back, the body in parts, every part under the
/// hub's message limit. Whole and bounded both ways: a body over the limit or a device over the time limit ends in a
/// <see cref="PublicUrlFailure"/>, which the proxy turns into the page a person reads.
/// </summary>
public sealed class DeviceConnectionHandler(IHubContext<DeviceHub> hub, DeviceConnections connections,
    IOptions<PublicUrlOptions> options) : HttpMessageHandler
{
    public static readonly HttpRequestOptionsKey<PublicUrlDevice> DeviceKey = new("FleetDashboard.PublicUrlDevice");

    // Set by the server from the answer's length; the device's own framing is its own business.
    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.ContentLength, HeaderNames.TransferEncoding, HeaderNames.Connection,
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(DeviceKey, out var device))
            throw new InvalidOperationException("A public URL request must name its device.");
        if (!connections.IsConnected(device.Id)) throw PublicUrlFailure.Offline();
        var limits = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.Timeout);
        try
        {
            var body = await ReadBodyAsync(request.Content, limits.MaxBodyBytes, timeout.Token);
            if (device.Turn is { } turn) await turn.WaitAsync(timeout.Token);
            try
            {
                return await ExchangeAsync(request, device, body, timeout.Token);
            }
            finally
            {
                device.Turn?.Release();
            }
        }
        catch (Exception e) when (e is not PublicUrlFailure && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw PublicUrlFailure.TimedOut(limits.Timeout);
        }
        catch (HubException e)
        {
            // An agent older than public URLs has no handler for them and says so; a newer one failed while serving.
            throw PublicUrlFailure.BadAnswer($"The device's agent could not serve the request ({Shortened(e.Message)}). " +
                "An agent that predates public URLs answers this way: update the device's agent.");
        }
        catch (IOException)
        {
            throw PublicUrlFailure.BadAnswer("The device's connection was lost before it answered.");
        }
    }

    /// <summary>The request to the device, and its answer read whole: the first part with the head, the rest part by part.</summary>
    private async Task<HttpResponseMessage> ExchangeAsync(HttpRequestMessage request, PublicUrlDevice device, byte[] body,
        CancellationToken cancellationToken)
    {
        if (!connections.TryGetConnectionId(device.Id, out var connectionId)) throw PublicUrlFailure.Offline();
        var limits = options.Value;
        var sent = new PublicUrlRequest(DeviceProtocol.Version, device.Uuid, Guid.NewGuid().ToString("N"), request.Method.Method,
            request.RequestUri!.PathAndQuery, HeadersOf(request), body);
        var client = hub.Clients.Client(connectionId);
        var answer = await client.InvokeAsync<PublicUrlResponse?>(DeviceProtocol.ServePublicUrl, sent, cancellationToken)
            ?? throw PublicUrlFailure.BadAnswer("The device gave no answer that the dashboard could read.");
        if (answer.Refusal is { } refusal) throw PublicUrlFailure.BadAnswer($"The device refused the request: {Shortened(refusal)}");
        if (answer.Status is < 200 or > 599) throw PublicUrlFailure.BadAnswer($"The device answered with status {answer.Status}.");
        var whole = new MemoryStream();
        var part = answer.Body;
        for (var more = answer.MoreBody; ; more = part.Length > 0)
        {
            if (whole.Length + part.Length > limits.MaxBodyBytes) throw PublicUrlFailure.AnswerTooLarge(limits.MaxBodyBytes);
            whole.Write(part);
            if (!more) break;
            part = await client.InvokeAsync<byte[]?>(DeviceProtocol.ReadPublicUrlBody, sent.RequestId, cancellationToken) ?? [];
        }
        return ResponseOf(answer, whole.ToArray());
    }

    /// <summary>The request body, buffered up to the limit and not a byte further.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpContent? content, int limit, CancellationToken cancellationToken)
    {
        if (content is null) return [];
        var body = new BoundedBuffer(limit);
        try
        {
            await content.CopyToAsync(body, cancellationToken);
        }
        catch (Exception) when (body.Overflowed)
        {
        }
        // YARP's copy reports a failed write to its own error, not always to the caller: the flag is the word that counts.
        return body.Overflowed ? throw PublicUrlFailure.RequestTooLarge(limit) : body.ToArray();
    }

    /// <summary>A memory stream that refuses to grow past its limit (the request body arrives as YARP copies it, unsized).</summary>
    private sealed class BoundedBuffer(int limit) : MemoryStream
    {
        public bool Overflowed { get; private set; }

        // Every write ends in MemoryStream's array overload: its span overload, in a subclass, comes back through it.
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > limit)
            {
                Overflowed = true;
                throw PublicUrlFailure.RequestTooLarge(limit);
            }
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }
    }

    private static List<PublicUrlHeader> HeadersOf(HttpRequestMessage request) =>
        request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .SelectMany(header => header.Value.Select(value => new PublicUrlHeader(header.Key, value)))
            .ToList();

    private static HttpResponseMessage ResponseOf(PublicUrlResponse answer, byte[] body)
    {
        var response = new HttpResponseMessage((HttpStatusCode)answer.Status) { Content = new ByteArrayContent(body) };
        foreach (var header in answer.Headers.Where(h => !NotCopied.Contains(h.Name)))
        {
            if (!response.Headers.TryAddWithoutValidation(header.Name, header.Value))
                response.Content.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }
        return response;
    }

    private static string Shortened(string said) => said.Length > 200 ? said[..200] + "…" : said;
}
