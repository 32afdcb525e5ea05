using System.Diagnostics.Metrics;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;

namespace FleetDashboard.Web.Operations;

/// <summary>Running it for real: liveness and readiness for a load balancer, and metrics for Prometheus.</summary>
public static class OperationsExtensions
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";
    public const string MetricsPath = "/metrics";

    /// <summary>The checks /readyz runs; /healthz runs none.</summary>
    private const string ReadyTag = "ready";

    /// <summary>
    /// The runtime's and ASP.NET Core's own meters (.NET 10 publishes them itself, so no instrumentation package is
    /// needed), beside the fleet's. Blazor's render-level meter (Microsoft.AspNetCore.Components) is left out: one
    /// series per component type and event, for little an operator acts on; its circuits meter is in.
    /// </summary>
    private static readonly string[] Meters =
    [
        FleetMetrics.MeterName,
        "System.Runtime",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Identity",
        "Microsoft.AspNetCore.Components.Server.Circuits",
    ];

    public static WebApplicationBuilder AddFleetOperations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHealthChecks().AddCheck<StoreReadiness>("store", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(10));
        services.AddSingleton(provider => MetricsAccess.From(provider.GetRequiredService<IConfiguration>()));
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters).AddPrometheusExporter();
            ((IDeferredMeterProviderBuilder)metrics).Configure((provider, builder) =>
                builder.AddView(OnlyThisHost(provider.GetRequiredService<IMeterFactory>())));
        });

        services.AddFleetKeyRing();

        services.AddSingleton<StoreTiming>();
        services.ConfigureDbContext<FleetDbContext>(
            (provider, options) => options.AddInterceptors(provider.GetRequiredService<StoreTiming>()), ServiceLifetime.Singleton);
        services.AddSingleton<DeviceReportCount>();
        services.Configure<HubOptions<DeviceHub>>(hub => hub.AddFilter<DeviceReportCount>());
        return builder;
    }

    /// <summary>
    /// The provider listens to meters by name, so in a process with two hosts (the tests start many) it would mix their
    /// figures. A host's own meters come from its meter factory: another factory's are dropped. Global meters (the
    /// runtime's) are the process's and stay.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisHost(IMeterFactory ours) => instrument =>
        instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, ours) ? null : MetricStreamConfiguration.Drop;

    /// <summary>
    /// /healthz answers while the process runs and touches nothing; /readyz checks the store. Both are anonymous
    /// and outside the rate limiter (a load balancer polls them from one address). The app does no HTTPS
    /// redirection (TLS ends in front of it), so a probe over plain HTTP is answered as it is.
    /// </summary>
    public static WebApplication MapFleetOperations(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthAnswer.WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = HealthAnswer.WriteAsync })
            .AllowAnonymous().DisableRateLimiting();

        var metrics = app.Services.GetRequiredService<FleetMetrics>();
        var connections = app.Services.GetRequiredService<DeviceConnections>();
        metrics.ObserveConnectedDevices(() => connections.Count);
        var admission = app.Services.GetRequiredService<DeviceAdmission>();
        metrics.ObserveTurnedAwayDevices(() => admission.TurnedAway);
        var access = app.Services.GetRequiredService<MetricsAccess>();
        // Anyone else's /metrics goes on down the pipeline and finds no such page.
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == MetricsPath && access.Allows(context.Connection.RemoteIpAddress));
        return app;
    }
}
