namespace FleetDashboard.Core.Actions;

/// <summary>What became of an action on one device.</summary>
public enum OutcomeKind { Succeeded, Failed, NotNotified, Refused, TimedOut }

/// <summary>Why a device in a plan will not run the action, and the outcome that gets recorded for it.</summary>
public sealed record Skip(OutcomeKind Kind, string Reason)
{
    public static Skip Offline { get; } = new(OutcomeKind.NotNotified, "offline");
    public static Skip AgentTooOld { get; } = new(OutcomeKind.Refused, "agent too old");
    public static Skip LockHeld { get; } = new(OutcomeKind.Refused, "update lock held");
    public static Skip WrongArchitecture { get; } = new(OutcomeKind.Refused, "wrong architecture");
    public static Skip Inactive { get; } = new(OutcomeKind.Refused, "device deactivated");

    public static Skip Refused(string reason) => new(OutcomeKind.Refused, reason);

    public override string ToString() => Outcomes.Describe(Kind, Reason);
}

public static class Outcomes
{
    /// <summary>"succeeded", "not notified: offline", "refused: agent too old", "timed out", …</summary>
    public static string Describe(OutcomeKind kind, string? reason)
    {
        var label = kind switch
        {
            OutcomeKind.Succeeded => "succeeded",
            OutcomeKind.Failed => "failed",
            OutcomeKind.NotNotified => "not notified",
            OutcomeKind.Refused => "refused",
            _ => "timed out",
        };
        return string.IsNullOrEmpty(reason) ? label : $"{label}: {reason}";
    }
}
