using FleetDashboard.Web.Devices;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FleetDashboard.Web.Services;

public static class FleetServicesExtensions
{
    /// <summary>The services pages call, and the door to the devices they go through.</summary>
    public static WebApplicationBuilder AddFleetServices(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FleetQueries>();
        return builder;
    }
}
