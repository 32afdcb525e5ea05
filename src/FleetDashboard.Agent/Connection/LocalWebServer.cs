using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Connection;

/// <summary>
/// The device's own web server, as the public URL reaches it: plain HTTP to its port 80 on the loopback (SPEC §3: HTTP
/// to the device's port 80 only). The dashboard has already dropped the hop-by-hop headers; the Host is the local one.
/// </summary>
public sealed class LocalWebServer(Uri address) : IDeviceWebServer, IDisposable
{
    public static readonly Uri DefaultAddress = new("http://127.0.0.1:80/");

    // Redirects and cookies are the browser's business, not the agent's: passed through as they are.
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public Uri Address { get; } = address;

    public async Task<DeviceWebAnswer> ServeAsync(PublicUrlRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(Address, request.PathAndQuery));
        var content = new ByteArrayContent(request.Body);
        foreach (var header in request.Headers.Where(h => !h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            if (!message.Headers.TryAddWithoutValidation(header.Name, header.Value))
                content.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }
        if (request.Body.Length > 0 || content.Headers.Any(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            message.Content = content;
        var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers)
            .SelectMany(h => h.Value.Select(value => new PublicUrlHeader(h.Key, value)))
            .ToList();
        return new DeviceWebAnswer((int)response.StatusCode, headers, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    public void Dispose() => _http.Dispose();
}
