using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;

namespace FleetDashboard.Web.Devices;

public static class DevicesExtensions
{
    /// <summary>The device endpoint: registration, the hub with its credential sign-in and limits, delivery, the feed.</summary>
    public static WebApplicationBuilder AddFleetDevices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, DeviceCredentials>(DeviceCredentials.SchemeName, null);
        services.AddSingleton<CredentialLookups>();
        services.AddSingleton<DeviceRateLimit>();
        services.AddSingleton<DeviceAdmission>();
        services.AddTransient<IStartupFilter, DeviceHubBranch>();
        services.Configure<DeviceAdmissionOptions>(builder.Configuration.GetSection("Fleet:DeviceAdmission"));
        services.AddSignalR().AddHubOptions<DeviceHub>(hub =>
        {
            hub.MaximumReceiveMessageSize = DeviceProtocol.MaxMessageBytes;
            hub.AddFilter<DeviceRateLimit>();
            hub.AddFilter<StoreOutageFilter>();
        });
        services.Configure<DeliveryOptions>(builder.Configuration.GetSection("Fleet:Delivery"));
        services.Configure<DeviceRateLimitOptions>(builder.Configuration.GetSection("Fleet:DeviceRateLimit"));
        services.Configure<RegistrationOptions>(builder.Configuration.GetSection("Fleet:Registration"));
        services.AddSingleton<RegistrationLimits>();
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, RegistrationAddressLimit>(RegistrationAddressLimit.Name));
        services.AddSingleton<DeviceFeed>();
        services.AddSingleton<DeviceConnections>();
        services.AddSingleton<DeviceStates>();
        services.AddSingleton<DeviceRegistration>();
        services.AddSingleton<DeviceNudges>();
        services.AddSingleton<DeviceCommands>();
        services.AddSingleton<IDeviceDelivery, HubDeviceDelivery>();
        services.AddSingleton<IDeviceWhereabouts, OneNode>();
        services.AddSingleton<SilentDevices>();
        services.AddHostedService(sp => sp.GetRequiredService<SilentDevices>());
        services.AddSingleton<DemoFleet>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoFleet>());
        return builder;
    }

    /// <summary>Registration. The hub is not mapped here: it has a branch of its own, first in the pipeline (<see cref="DeviceHubBranch"/>).</summary>
    public static WebApplication MapFleetDevices(this WebApplication app)
    {
        app.MapPost(DeviceProtocol.RegisterPath, async (RegisterRequest request, DeviceRegistration registration, RegistrationLimits limits,
                HttpContext http, CancellationToken ct) =>
            {
                using var lease = limits.AcquireForKey(request.ProvisioningKey);
                if (!lease.IsAcquired) return RegistrationLimits.TooMany(http, lease, "with this provisioning key");
                var (registered, refusal) = await RegisterUnlessStoreIsOutAsync(registration, request, ct);
                if (refusal == StoreOutage.DeviceMessage)
                {
                    // Unavailable for now, not refused: the device registers again later.
                    http.Response.Headers.RetryAfter = "30";
                    return Results.Problem(refusal, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Registration not stored");
                }
                return registered is not null
                    ? Results.Ok(registered)
                    : Results.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "Registration refused");
            })
            .RequireRateLimiting(RegistrationAddressLimit.Name)
            .WithMetadata(new RequestSizeLimitAttribute(DeviceProtocol.MaxMessageBytes))
            .DisableAntiforgery();
        return app;
    }

    private static async Task<(RegisterResponse? Registered, string? Refusal)> RegisterUnlessStoreIsOutAsync(DeviceRegistration registration,
        RegisterRequest request, CancellationToken ct)
    {
        try
        {
            return await registration.RegisterAsync(request, ct);
        }
        catch (Exception e) when (StoreOutage.Is(e))
        {
            return (null, StoreOutage.DeviceMessage);
        }
    }

    /// <summary>
    /// No device is connected to a process that has just started. One of several nodes forgets nothing: the devices
    /// recorded as connected are the other nodes' (a killed node's reconnect elsewhere and are recorded again).
    /// </summary>
    public static Task ForgetDeviceConnectionsAsync(this WebApplication app) =>
        Cluster.ClusterExtensions.IsCluster(app.Configuration)
            ? Task.CompletedTask
            : app.Services.GetRequiredService<DeviceStates>().ForgetConnectionsAsync(CancellationToken.None);
}
