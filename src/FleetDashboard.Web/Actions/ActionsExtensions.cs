namespace FleetDashboard.Web.Actions;

public static class ActionsExtensions
{
    /// <summary>The action pipeline: its door and its stages.</summary>
    public static WebApplicationBuilder AddFleetActions(this WebApplicationBuilder builder)
    {
        builder.Services.AddFleetActions();
        return builder;
    }

    public static IServiceCollection AddFleetActions(this IServiceCollection services) => services
        .AddSingleton<ActionService>()
        .AddSingleton<ActionLoading>()
        .AddSingleton<RunDelivery>()
        .AddSingleton<RunNews>();
}
