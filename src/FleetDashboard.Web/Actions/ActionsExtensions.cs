using FleetDashboard.Web.Operations;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FleetDashboard.Web.Actions;

public static class ActionsExtensions
{
    /// <summary>The action pipeline: its door and its stages, and the watch that leaves no run waiting.</summary>
    public static WebApplicationBuilder AddFleetActions(this WebApplicationBuilder builder)
    {
        builder.Services.AddFleetActions();
        builder.Services.AddHostedService<RunDeadlineWatch>();
        return builder;
    }

    public static IServiceCollection AddFleetActions(this IServiceCollection services)
    {
        // The deliver stage counts its outcomes: the meter is here for every host of the pipeline, /metrics or not.
        services.AddMetrics().TryAddSingleton<FleetMetrics>();
        return services
            .AddSingleton<ActionService>()
            .AddSingleton<ActionLoading>()
            .AddSingleton<RunDelivery>()
            .AddSingleton<ThisNode>()
            .AddSingleton<RunDeadlines>()
            .AddSingleton<RunNews>()
            .AddSingleton<DeliveredOutcomes>();
    }
}
