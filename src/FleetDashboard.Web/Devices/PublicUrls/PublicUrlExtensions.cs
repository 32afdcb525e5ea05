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
        services.AddSingleton<PublicUrlProxy>();
        return builder;
    }

    /// <summary>
    /// Early in the pipeline, after the forwarded headers (the browser's scheme and address) and before the dashboard's
    /// security headers, status pages and sign-in: the device's answer goes out as the device gave it.
    /// </summary>
    public static WebApplication UseFleetPublicUrls(this WebApplication app)
    {
        app.Use(app.Services.GetRequiredService<PublicUrlProxy>().InvokeAsync);
        return app;
    }
}
