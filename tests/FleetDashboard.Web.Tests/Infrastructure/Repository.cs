using FleetDashboard.Web.Hosting;

namespace FleetDashboard.Web.Tests.Infrastructure;

/// <summary>Paths in the checked-out repository, found from the test's own output folder.</summary>
public static class Repository
{
    public static string Root { get; } =
        FleetHostExtensions.FindSolutionDirectory(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No {FleetHostExtensions.SolutionFileName} above {AppContext.BaseDirectory}.");

    public static string WebProject => Path.Combine(Root, "src", "FleetDashboard.Web");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);
}
