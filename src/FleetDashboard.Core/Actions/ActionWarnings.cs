using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Actions;

/// <summary>What several actions' warnings share; each action says its own consequences (<see cref="FleetAction.Warnings"/>).</summary>
public static class ActionWarnings
{
    /// <summary>Host OS from which purge and move delete named volumes instead of clearing /data.</summary>
    public static readonly FleetVersion NamedVolumesFrom = new(2, 12, 0);

    public const string Forced = "Forced: update locks held by the application are ignored.";
}
