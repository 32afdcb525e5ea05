namespace FleetDashboard.Core.Actions;

/// <summary>What several actions' warnings share; each action says its own consequences (<see cref="FleetAction.Warnings"/>).</summary>
public static class ActionWarnings
{
    public const string Forced = "Forced: update locks held by the application are ignored.";
}
