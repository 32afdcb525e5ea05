using System.Collections.Concurrent;
using System.Net;
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

/// <summary>
/// The server end of the device protocol, just enough of it to test the agent over a real Kestrel port
/// and a real SignalR connection, without the dashboard: registration, the credential check, the hub.
/// </summary>
internal sealed class StandInDeviceServer : IAsyncDisposable
{
    public const string ProvisioningKey = "the-right-key";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _uuidsByCredential = new();
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();
    private int _registered;

    private StandInDeviceServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        builder.Services.AddSingleton(this);
        _app = builder.Build();

        _app.MapPost(DeviceProtocol.RegisterPath, (RegisterRequest request) =>
        {
            if (request.ProvisioningKey != ProvisioningKey)
                return Results.Problem(detail: "That provisioning key is unknown or revoked.", statusCode: 401);
            var number = Interlocked.Increment(ref _registered);
            var uuid = Guid.NewGuid().ToString("N");
            var credential = Guid.NewGuid().ToString("N");
            _uuidsByCredential[credential] = uuid;
            return Results.Ok(new RegisterResponse(uuid, request.Name ?? $"device-{number}", credential, 600));
        });
        _app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(DeviceProtocol.HubPath))
            {
                // The device's identity comes from its credential alone: a header on negotiate, the query on the WebSocket.
                var credential = context.Request.Query["access_token"].FirstOrDefault()
                    ?? context.Request.Headers.Authorization.FirstOrDefault()?.Replace("Bearer ", "");
                if (credential is null || !_uuidsByCredential.TryGetValue(credential, out var uuid))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }
                context.Items["uuid"] = uuid;
            }
            await next();
        });
        _app.MapHub<StandInDeviceHub>(DeviceProtocol.HubPath);
    }

    public Uri Address { get; private set; } = null!;
    public ConcurrentQueue<(string Uuid, DeviceReport Report)> Reports { get; } = new();
    public ConcurrentDictionary<string, int> Heartbeats { get; } = new();
    public ConcurrentDictionary<string, int> Fetches { get; } = new();
    public ConcurrentDictionary<string, TargetState> Targets { get; } = new();

    public static async Task<StandInDeviceServer> StartAsync()
    {
        var server = new StandInDeviceServer();
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Address = new Uri(address);
        return server;
    }

    public bool IsConnected(string uuid) => _connections.ContainsKey(uuid);

    public string AddCredential(string uuid)
    {
        var credential = Guid.NewGuid().ToString("N");
        _uuidsByCredential[credential] = uuid;
        return credential;
    }

    /// <summary>
    /// Cuts the device's connection: with a close message, or <paramref name="withoutGoodbye"/> by dropping the
    /// socket as a crash or a lost network would. With <paramref name="revoke"/> its credential stops working too.
    /// </summary>
    public void Cut(string uuid, bool revoke = false, bool withoutGoodbye = false)
    {
        if (revoke)
            foreach (var entry in _uuidsByCredential.Where(e => e.Value == uuid)) _uuidsByCredential.TryRemove(entry);
        if (!_connections.TryGetValue(uuid, out var connection)) return;
        if (withoutGoodbye) connection.GetHttpContext()!.Abort();
        else connection.Abort();
    }

    public async Task<ActionResult> RunActionAsync(string uuid, DeviceCommand command, bool force = false)
    {
        var hub = _app.Services.GetRequiredService<IHubContext<StandInDeviceHub>>();
        using var timeout = new CancellationTokenSource(DeviceProtocol.ActionTimeout);
        return await hub.Clients.Client(_connections[uuid].ConnectionId).InvokeAsync<ActionResult>(
            DeviceProtocol.RunAction, new ActionCommand(DeviceProtocol.Version, 1, command, force), timeout.Token);
    }

    /// <summary>A request to the public URL of the device connected as <paramref name="uuid"/> (it may name another).</summary>
    public async Task<PublicUrlResponse> ServePublicUrlAsync(string uuid, PublicUrlRequest request)
    {
        var hub = _app.Services.GetRequiredService<IHubContext<StandInDeviceHub>>();
        using var timeout = new CancellationTokenSource(DeviceProtocol.ActionTimeout);
        return await hub.Clients.Client(_connections[uuid].ConnectionId).InvokeAsync<PublicUrlResponse>(
            DeviceProtocol.ServePublicUrl, request, timeout.Token);
    }

    public async Task<byte[]> ReadPublicUrlBodyAsync(string uuid, string requestId)
    {
        var hub = _app.Services.GetRequiredService<IHubContext<StandInDeviceHub>>();
        using var timeout = new CancellationTokenSource(DeviceProtocol.ActionTimeout);
        return await hub.Clients.Client(_connections[uuid].ConnectionId).InvokeAsync<byte[]>(
            DeviceProtocol.ReadPublicUrlBody, requestId, timeout.Token);
    }

    public Task NudgeAsync(string uuid)
    {
        var hub = _app.Services.GetRequiredService<IHubContext<StandInDeviceHub>>();
        return hub.Clients.Client(_connections[uuid].ConnectionId).SendAsync(DeviceProtocol.TargetStateChanged);
    }

    internal void Connected(string uuid, HubCallerContext context) => _connections[uuid] = context;

    internal void Disconnected(string uuid, HubCallerContext context) =>
        _connections.TryRemove(new KeyValuePair<string, HubCallerContext>(uuid, context));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed class StandInDeviceHub(StandInDeviceServer server) : Hub
{
    private string Uuid => (string)Context.GetHttpContext()!.Items["uuid"]!;

    public override Task OnConnectedAsync()
    {
        server.Connected(Uuid, Context);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        server.Disconnected(Uuid, Context);
        return Task.CompletedTask;
    }

    public void Report(DeviceReport report) => server.Reports.Enqueue((Uuid, report));

    public void Heartbeat() => server.Heartbeats.AddOrUpdate(Uuid, 1, (_, n) => n + 1);

    public TargetState? FetchTargetState()
    {
        server.Fetches.AddOrUpdate(Uuid, 1, (_, n) => n + 1);
        return server.Targets.GetValueOrDefault(Uuid);
    }
}
