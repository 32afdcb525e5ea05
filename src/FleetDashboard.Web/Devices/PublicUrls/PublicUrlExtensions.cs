namespace FleetDashboard.Web.Devices.PublicUrls;

public static class PublicUrlExtensions
{
    /// <summary>Public device URLs: YARP's forwarder over the devices' connections, and where their addresses live.</summary>
    public static WebApplicationBuilder AddFleetPublicUrls(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHttpForwarder();
        services.Configure<PublicUrlOptions>(builder.Configuration.GetSection(PublicUrlOptions.Section));
        services.AddSingleton<DevicePublicUrls>();
        services.AddSingleton<DeviceConnectionHandler>();
        services.AddSingleton<DeviceTurns>();
        services.AddSingleton<PublicUrlProxy>();
        return builder;
    }

    /// <summary>
    /// Early in the pipeline, after the forwarded headers (the browser's scheme and address) and before the dashboard's
    /// security headers, status pages and sign-in: the device's answer goes out as the device gave it.
    /// </summary>
    public static WebApplication UseFleetPublicUrls(this WebApplication app)
    {
        var proxy = app.Services.GetRequiredService<PublicUrlProxy>();
        app.Use(proxy.InvokeAsync);
        // The host routes and authorizes before any of the app's own middleware: without endpoints of its own, a public
        // URL request for "/" would match the dashboard's home page and be sent to sign in. These win every match a
        // public URL makes, need no sign-in, and are never reached (the middleware above answers first).
        RequestDelegate serve = context => proxy.InvokeAsync(context, PublicUrlPages.NotFoundAsync);
        app.Map($"{DevicePublicUrls.PathPrefix}/{{**rest}}", serve).AllowAnonymous().WithOrder(-1).DisableAntiforgery();
        if (app.Services.GetRequiredService<DevicePublicUrls>().DevicesDomain is { } domain)
            app.Map("{**path}", serve).RequireHost($"*.{domain}").AllowAnonymous().WithOrder(-1).DisableAntiforgery();
        return app;
    }
}
