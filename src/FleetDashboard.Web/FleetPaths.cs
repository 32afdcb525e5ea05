namespace FleetDashboard.Web;

/// <summary>Paths that machines (device agents, API clients) call: they get status codes, never pages.</summary>
public static class FleetPaths
{
    public static bool IsMachinePath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs");
}
