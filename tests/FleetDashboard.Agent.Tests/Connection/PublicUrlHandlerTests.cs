using System.Net;
using System.Text;
using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;
using FleetDashboard.Core.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Agent.Tests.Connection;

/// <summary>The agent's side of the public URL, over a real connection to the stand-in server.</summary>
public sealed class PublicUrlHandlerTests : IAsyncLifetime
{
    private static readonly byte[] LargeBody = Enumerable.Range(0, 3 * DeviceProtocol.PublicUrlBodyPartBytes + 7).Select(i => (byte)(i % 253)).ToArray();

    private readonly HttpClient _http = new();
    private readonly List<string> _seenByWebServer = [];
    private StandInDeviceServer _server = null!;
    private WebApplication _webServer = null!;
    private Uri _webServerAddress = null!;

    public async Task InitializeAsync()
    {
        _server = await StandInDeviceServer.StartAsync();
        // The device's own web server on its "port 80".
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _webServer = builder.Build();
        _webServer.MapGet("/large", () => Results.Bytes(LargeBody, "application/octet-stream"));
        _webServer.MapPost("/form", async (HttpRequest request) =>
        {
            lock (_seenByWebServer) _seenByWebServer.Add($"{request.Host} {request.Headers["X-Forwarded-Host"]} {request.ContentType}");
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            return Results.Text($"{request.Method} {request.Path}{request.QueryString} {body}", statusCode: 201);
        });
        await _webServer.StartAsync();
        _webServerAddress = new Uri(_webServer.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _webServer.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<DeviceAgent> StartedAgentAsync(Uri? webServer = null)
    {
        var options = new SimulationOptions { Clock = new ManualSimulationClock(), WebServer = webServer };
        var device = new SimulatedDevice(new DeviceSetup { ReleaseCommit = "r7" }, options);
        var identity = await DeviceAgent.RegisterAsync(_http, _server.Address, StandInDeviceServer.ProvisioningKey, device);
        var agent = new DeviceAgent(_server.Address, identity, device, options);
        await agent.StartAsync();
        await Wait.UntilAsync(() => _server.IsConnected(identity.Uuid), "the server to hold the agent's connection");
        return agent;
    }

    private static PublicUrlRequest Request(string uuid, string method = "GET", string path = "/", string body = "", params PublicUrlHeader[] headers) =>
        new(DeviceProtocol.Version, uuid, Guid.NewGuid().ToString("N"), method, path, headers, Encoding.UTF8.GetBytes(body));

    [Fact]
    public async Task The_agent_refuses_a_request_meant_for_another_device()
    {
        await using var agent = await StartedAgentAsync();
        const string other = "0123456789abcdef0123456789abcdef";

        var answer = await _server.ServePublicUrlAsync(agent.Identity.Uuid, Request(other));

        Assert.Equal($"this is device {agent.Identity.Uuid}, not {other}", answer.Refusal);
        Assert.Empty(answer.Body);
    }

    [Fact]
    public async Task The_simulated_device_serves_its_own_page()
    {
        await using var agent = await StartedAgentAsync();

        var page = await _server.ServePublicUrlAsync(agent.Identity.Uuid, Request(agent.Identity.Uuid));
        var missing = await _server.ServePublicUrlAsync(agent.Identity.Uuid, Request(agent.Identity.Uuid, path: "/elsewhere"));

        Assert.Null(page.Refusal);
        Assert.Equal(200, page.Status);
        Assert.False(page.MoreBody);
        var html = Encoding.UTF8.GetString(page.Body);
        Assert.Contains($"<dd id=\"device-name\">{agent.Device.Name}</dd>", html);
        Assert.Contains("<dd id=\"device-release\">r7</dd>", html);
        Assert.Contains("<dd id=\"device-uptime\">0 min 0 s</dd>", html);
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task The_agent_forwards_to_the_devices_web_server_with_the_local_host()
    {
        await using var agent = await StartedAgentAsync(_webServerAddress);
        var uuid = agent.Identity.Uuid;

        var answer = await _server.ServePublicUrlAsync(uuid, Request(uuid, "POST", "/form?x=1", "a=1",
            new PublicUrlHeader("Host", $"{uuid}.devices.example"), new PublicUrlHeader("X-Forwarded-Host", $"{uuid}.devices.example"),
            new PublicUrlHeader("Content-Type", "application/x-www-form-urlencoded")));

        Assert.Equal(201, answer.Status);
        Assert.Equal("POST /form?x=1 a=1", Encoding.UTF8.GetString(answer.Body));
        Assert.Contains(answer.Headers, h => h.Name == "Content-Type" && h.Value.StartsWith("text/plain"));
        Assert.Equal($"{_webServerAddress.Authority} {uuid}.devices.example application/x-www-form-urlencoded", Assert.Single(_seenByWebServer));
    }

    [Fact]
    public async Task A_large_answer_is_read_in_parts_each_under_the_message_limit()
    {
        await using var agent = await StartedAgentAsync(_webServerAddress);
        var uuid = agent.Identity.Uuid;
        var request = Request(uuid, path: "/large");

        var answer = await _server.ServePublicUrlAsync(uuid, request);
        var whole = new List<byte>(answer.Body);
        var parts = 1;
        for (var part = await _server.ReadPublicUrlBodyAsync(uuid, request.RequestId); part.Length > 0;
             part = await _server.ReadPublicUrlBodyAsync(uuid, request.RequestId), parts++)
        {
            Assert.True(part.Length <= DeviceProtocol.PublicUrlBodyPartBytes);
            whole.AddRange(part);
        }

        Assert.True(answer.MoreBody);
        Assert.Equal(4, parts);
        Assert.Equal(LargeBody, whole.ToArray());
        // Read to its end, the answer is forgotten.
        await Assert.ThrowsAsync<HubException>(() => _server.ReadPublicUrlBodyAsync(uuid, request.RequestId));
    }

    [Fact]
    public async Task A_web_server_that_is_not_there_is_a_502_from_the_device()
    {
        // A port nobody listens on: the one the web server had, once it is gone.
        var address = _webServerAddress;
        await _webServer.StopAsync();
        await using var agent = await StartedAgentAsync(address);

        var answer = await _server.ServePublicUrlAsync(agent.Identity.Uuid, Request(agent.Identity.Uuid));

        Assert.Equal(502, answer.Status);
        Assert.StartsWith("The device's web server did not answer", Encoding.UTF8.GetString(answer.Body));
    }
}
