namespace FleetDashboard.Web.Actions;

public static class ActionsExtensions
{
    /// <summary>The action pipeline: its door and its stages.</summary>
    public static WebApplicationBuilder AddFleetActions(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ActionService>();
        builder.Services.AddSingleton<ActionLoading>();
        builder.Services.AddSingleton<RunDelivery>();
        builder.Services.AddSingleton<RunNews>();
        return builder;
    }
}
