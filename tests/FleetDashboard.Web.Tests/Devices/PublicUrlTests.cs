using System.Net;
using System.Text;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>A devices' domain for the host form, and a 2 s time limit so that "too slow" is quick to see.</summary>
public sealed class PublicUrlServer() : DeviceFleetServer(new FleetServerOptions
{
    Settings = new Dictionary<string, string?>
    {
        ["Fleet:DevicesDomain"] = PublicUrlServer.DevicesDomain,
        ["Fleet:PublicUrls:Timeout"] = "00:00:02",
    },
})
{
    public const string DevicesDomain = "devices.fleet.test";
}

/// <summary>The public device URL through the dashboard, over real Kestrel and the devices' real SignalR connections.</summary>
public sealed class PublicUrlTests(PublicUrlServer server) : IClassFixture<PublicUrlServer>, IDisposable
{
    private static readonly SimulationOptions Fast = new() { TimeFactor = 20 };
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = server.BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public void Dispose() => _http.Dispose();

    private async Task<(Fleet Fleet, SimulatedFleet Devices, string Uuid, int Id)> SimulatedAsync(string name, SimulationOptions? options = null)
    {
        var fleet = await server.FleetAsync(name);
        var devices = await SimulatedFleet.StartAsync(server.BaseAddress, fleet.ProvisioningKey, 1, options ?? Fast);
        var agent = devices.Agents.Single();
        await agent.WhenConnectedAsync().WaitAsync(Wait.DefaultTimeout);
        var id = await fleet.DeviceIdAsync(agent.Identity.Uuid);
        await ConnectedAsync(id);
        return (fleet, devices, agent.Identity.Uuid, id);
    }

    private async Task<(TestDevice Device, string Uuid, int Id)> BareAsync(Fleet fleet)
    {
        var registered = await fleet.RegisterAsync();
        var id = await fleet.DeviceIdAsync(registered.Uuid);
        var device = await TestDevice.ConnectAsync(server.BaseAddress, registered.Credential);
        await ConnectedAsync(id);
        return (device, registered.Uuid, id);
    }

    /// <summary>A bare device with its public URL on: the test says how it answers.</summary>
    private async Task<(TestDevice Device, string Uuid)> EnabledBareAsync(string name)
    {
        var fleet = await server.FleetAsync(name);
        var (device, uuid, id) = await BareAsync(fleet);
        await EnableAsync(fleet, id);
        return (device, uuid);
    }

    /// <summary>The device answers every request; the count says whether any reached it.</summary>
    private static Func<int> CountRequests(TestDevice device)
    {
        var asked = 0;
        device.Connection.On<PublicUrlRequest, PublicUrlResponse>(DeviceProtocol.ServePublicUrl, _ =>
        {
            Interlocked.Increment(ref asked);
            return new PublicUrlResponse(200, [], Encoding.UTF8.GetBytes("served"), false);
        });
        return () => Volatile.Read(ref asked);
    }

    private Task ConnectedAsync(int id) =>
        Wait.UntilAsync(() => server.Services.GetRequiredService<DeviceConnections>().IsRecorded(id), "the device's connection recorded");

    /// <summary>Turned on as an operator would, through the action pipeline.</summary>
    private Task EnableAsync(Fleet fleet, int id) =>
        server.Actions.RunAsync(fleet.Operator, new(new SetPublicUrl(true), DeviceTargets.Device(fleet.ApplicationId, id)));

    private async Task SetStoredAsync(int id, bool on)
    {
        await using var db = await server.DbAsync();
        await db.Devices.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.PublicUrlEnabled, on));
    }

    private Task<HttpResponseMessage> ViaHostAsync(string uuid, string path = "/", Action<HttpRequestMessage>? more = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Host = $"{uuid}.{PublicUrlServer.DevicesDomain}";
        more?.Invoke(request);
        return _http.SendAsync(request);
    }

    [Fact]
    public async Task The_simulated_devices_page_comes_through_the_path_form_and_the_host_form()
    {
        var (fleet, devices, uuid, id) = await SimulatedAsync("page");
        await using var _ = devices;
        await EnableAsync(fleet, id);

        using var viaPath = await _http.GetAsync($"public/{uuid}/");
        using var viaHost = await ViaHostAsync(uuid);

        foreach (var response in new[] { viaPath, viaHost })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains($"<dd id=\"device-name\">{devices.Devices.Single().Name}</dd>", page);
            Assert.Contains("id=\"device-uptime\"", page);
            Assert.Contains("id=\"device-release\"", page);
        }
        // The path form shares the dashboard's origin: the page runs sandboxed there, in an origin of its own.
        Assert.Contains("sandbox", string.Join(";", viaPath.Headers.GetValues("Content-Security-Policy")));
        Assert.False(viaHost.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task Requests_at_once_take_turns_at_the_device_and_all_are_answered()
    {
        var (fleet, devices, uuid, id) = await SimulatedAsync("at-once");
        await using var _ = devices;
        await EnableAsync(fleet, id);

        // As a browser loads a page's parts: several at once, fewer than the line one device may have.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _http.GetAsync($"public/{uuid}/")));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task The_path_form_without_its_slash_moves_to_it()
    {
        const string uuid = "0123456789abcdef0123456789abcdef";

        using var response = await _http.GetAsync($"public/{uuid}?a=1");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal($"/public/{uuid}/?a=1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_disabled_url_and_an_unknown_device_are_not_found()
    {
        var (fleet, devices, uuid, id) = await SimulatedAsync("disabled");
        await using var _ = devices;

        using var disabled = await _http.GetAsync($"public/{uuid}/");
        using var disabledHost = await ViaHostAsync(uuid);
        using var unknown = await _http.GetAsync("public/0123456789abcdef0123456789abcdef/");
        using var notUuid = await ViaHostAsync("not-a-device");

        foreach (var response in new[] { disabled, disabledHost, unknown, notUuid })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("No public URL here", await response.Content.ReadAsStringAsync());
        }
        // And turned off again after it was on.
        await EnableAsync(fleet, id);
        using (var on = await _http.GetAsync($"public/{uuid}/")) Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        await server.Actions.RunAsync(fleet.Operator, new(new SetPublicUrl(false), DeviceTargets.Device(fleet.ApplicationId, id)));
        using var off = await _http.GetAsync($"public/{uuid}/");
        Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
    }

    [Fact]
    public async Task The_hub_path_on_a_devices_own_host_is_the_devices_not_the_dashboards_hub()
    {
        using var response = await ViaHostAsync("not-a-device", DeviceProtocol.HubPath);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No public URL here", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_offline_device_gives_503_with_a_page_that_says_so()
    {
        var fleet = await server.FleetAsync("offline-url");
        var registered = await fleet.RegisterAsync();
        var id = await fleet.DeviceIdAsync(registered.Uuid);
        await EnableAsync(fleet, id);

        using var response = await _http.GetAsync($"public/{registered.Uuid}/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("The device is offline", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_device_of_an_Essentials_application_has_no_public_url_even_when_its_setting_says_on()
    {
        var fleet = await server.FleetAsync("essentials-url", ApplicationType.Essentials);
        var (device, uuid, id) = await BareAsync(fleet);
        await using var _ = device;
        // Left over from before a change of type: the stored setting alone opens nothing.
        await SetStoredAsync(id, on: true);
        var asked = CountRequests(device);

        using var response = await _http.GetAsync($"public/{uuid}/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, asked());
    }

    [Fact]
    public async Task The_device_gets_the_forwarded_headers_and_never_the_dashboards_credentials()
    {
        var (device, uuid) = await EnabledBareAsync("headers");
        await using var _ = device;
        var seen = new List<PublicUrlRequest>();
        device.Connection.On<PublicUrlRequest, PublicUrlResponse>(DeviceProtocol.ServePublicUrl, request =>
        {
            lock (seen) seen.Add(request);
            return new PublicUrlResponse(201, [new("Set-Cookie", "device=1; Path=/"), new("Clear-Site-Data", "\"cookies\""), new("X-Device", "yes")],
                Encoding.UTF8.GetBytes(request.Method), false);
        });
        void Credentials(HttpRequestMessage request)
        {
            request.Headers.TryAddWithoutValidation("Cookie", ".AspNetCore.Identity.Application=secret; theme=dark");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer fleet-token");
        }

        using var viaHost = await ViaHostAsync(uuid, "/status?verbose=1", Credentials);
        var viaPathRequest = new HttpRequestMessage(HttpMethod.Post, $"public/{uuid}/form") { Content = new StringContent("a=1") };
        Credentials(viaPathRequest);
        using var viaPath = await _http.SendAsync(viaPathRequest);

        Assert.Equal(HttpStatusCode.Created, viaHost.StatusCode);
        Assert.Equal("yes", viaHost.Headers.GetValues("X-Device").Single());
        Assert.Equal("device=1; Path=/", viaHost.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal("POST", await viaPath.Content.ReadAsStringAsync());
        Assert.Equal("\"cookies\"", viaHost.Headers.GetValues("Clear-Site-Data").Single());
        // On the path form the device shares the dashboard's origin: nothing it says may act on the dashboard there.
        Assert.Equal("yes", viaPath.Headers.GetValues("X-Device").Single());
        Assert.False(viaPath.Headers.Contains("Set-Cookie"));
        Assert.False(viaPath.Headers.Contains("Clear-Site-Data"));

        var (host, path) = (seen[0], seen[1]);
        Assert.All(seen, request => Assert.Equal(uuid, request.DeviceUuid));
        Assert.Equal("/status?verbose=1", host.PathAndQuery);
        Assert.Equal("/form", path.PathAndQuery);
        Assert.Equal("a=1", Encoding.UTF8.GetString(path.Body));
        Assert.Equal("theme=dark", Header(host, "Cookie"));
        Assert.Null(Header(path, "Cookie"));
        Assert.All(seen, request => Assert.Null(Header(request, "Authorization")));
        Assert.Equal($"{uuid}.{PublicUrlServer.DevicesDomain}", Header(host, "X-Forwarded-Host"));
        Assert.Equal("http", Header(host, "X-Forwarded-Proto"));
        Assert.Equal("127.0.0.1", Header(host, "X-Forwarded-For"));
        Assert.Equal($"/public/{uuid}", Header(path, "X-Forwarded-Prefix"));
    }

    private static string? Header(PublicUrlRequest request, string name) =>
        request.Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

    [Fact]
    public async Task A_request_body_over_the_limit_is_refused_before_the_device_sees_it()
    {
        var (device, uuid) = await EnabledBareAsync("large-request");
        await using var _ = device;
        var asked = CountRequests(device);
        var tooLarge = new byte[DeviceProtocol.PublicUrlMaxBodyBytes + 1];

        using var sized = await _http.PostAsync($"public/{uuid}/upload", new ByteArrayContent(tooLarge));
        // Without a length up front (chunked), the dashboard stops reading at the limit.
        var unsized = new HttpRequestMessage(HttpMethod.Post, $"public/{uuid}/upload") { Content = new StreamContent(new MemoryStream(tooLarge)) };
        unsized.Headers.TransferEncodingChunked = true;
        using var chunked = await _http.SendAsync(unsized);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Contains("at most 1 MB", await sized.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal(0, asked());
    }

    [Fact]
    public async Task An_answer_over_the_limit_is_refused()
    {
        var (device, uuid) = await EnabledBareAsync("large-answer");
        await using var _ = device;
        var part = new byte[DeviceProtocol.PublicUrlBodyPartBytes];
        var parts = 0;
        device.Connection.On<PublicUrlRequest, PublicUrlResponse>(DeviceProtocol.ServePublicUrl, _ => new PublicUrlResponse(200, [], part, true));
        // A device that never stops sending.
        device.Connection.On<string, byte[]>(DeviceProtocol.ReadPublicUrlBody, _ =>
        {
            Interlocked.Increment(ref parts);
            return part;
        });

        using var response = await _http.GetAsync($"public/{uuid}/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("more than 1 MB", await response.Content.ReadAsStringAsync());
        Assert.InRange(parts, 1, DeviceProtocol.PublicUrlMaxBodyBytes / part.Length + 1);
    }

    [Fact]
    public async Task A_device_over_the_time_limit_gives_504()
    {
        var (device, uuid) = await EnabledBareAsync("slow-url");
        await using var _ = device;
        var never = new TaskCompletionSource<PublicUrlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        device.Connection.On<PublicUrlRequest, PublicUrlResponse>(DeviceProtocol.ServePublicUrl, _ => never.Task);

        try
        {
            using var response = await _http.GetAsync($"public/{uuid}/");

            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            Assert.Contains("did not answer within 2 s", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            never.TrySetResult(new PublicUrlResponse(200, [], [], false));
        }
    }

    [Fact]
    public async Task An_agent_that_predates_public_urls_gives_502_that_says_so()
    {
        var (device, uuid) = await EnabledBareAsync("old-agent");
        await using var _ = device;

        using var response = await _http.GetAsync($"public/{uuid}/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("update the device&#39;s agent", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_agent_forwards_to_the_devices_web_server_and_a_large_answer_comes_back_whole()
    {
        await using var web = await DeviceWebServerAsync();
        var (fleet, devices, uuid, id) = await SimulatedAsync("forwarded", Fast with { WebServer = web.Address });
        await using var _ = devices;
        await EnableAsync(fleet, id);

        using var large = await _http.GetAsync($"public/{uuid}/large");
        using var echoed = await _http.PostAsync($"public/{uuid}/echo?x=1", new StringContent("hello device"));

        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
        Assert.Equal(LargeBody, await large.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
        Assert.Equal("POST /echo?x=1 hello device", await echoed.Content.ReadAsStringAsync());
    }

    // More than one part, less than the limit, and not a multiple of a part.
    private static readonly byte[] LargeBody = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();

    /// <summary>A device's own web server on its port 80, played by a small Kestrel app.</summary>
    private static async Task<DeviceWeb> DeviceWebServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/large", () => Results.Bytes(LargeBody, "application/octet-stream"));
        app.MapPost("/echo", async (HttpRequest request) =>
            $"{request.Method} {request.Path}{request.QueryString} {await new StreamReader(request.Body).ReadToEndAsync()}");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new DeviceWeb(app, new Uri(address));
    }

    private sealed record DeviceWeb(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }
}
