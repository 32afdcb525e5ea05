using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Actions;

/// <summary>The choices a person makes in a confirmation before an action is built (<see cref="ActionKind.Build"/>).</summary>
public sealed class ActionInputs
{
    public bool Force { get; set; }
    public FleetVersion? HostOs { get; set; }
    public string DeviceType { get; set; } = "";
    public string Name { get; set; } = "";
    public string TagName { get; set; } = "";
    public string? TagValue { get; set; }
    public TimeSpan SupportPeriod { get; set; } = TimeSpan.FromDays(1);
    public int? TargetApplicationId { get; set; }
    public ApplicationType ApplicationType { get; set; } = ApplicationType.Microservices;
    public int? ReleaseId { get; set; }

    /// <summary>The periods offered for support access: SPEC §3 allows 1 hour to 30 days.</summary>
    public static IReadOnlyList<TimeSpan> SupportPeriods { get; } =
        [TimeSpan.FromHours(1), TimeSpan.FromHours(8), TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30)];
}
