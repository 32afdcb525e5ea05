namespace FleetDashboard.Core.Actions;

public enum ActionScope { Device, Group, Application, Organization }

/// <summary>
/// One click, as history keeps it: who, when, which action with which options, on what, and — when it was
/// refused — why. Written once, never changed: the store refuses updates and deletes.
/// </summary>
public sealed class ActionRun
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ActorUserId { get; set; }
    public required string ActorEmail { get; set; }
    public int? OrganizationId { get; set; }

    /// <summary>Kept as a plain number: the history outlives a deleted application.</summary>
    public int? ApplicationId { get; set; }
    public string ApplicationName { get; set; } = "";

    /// <summary>The one device of a device-scoped run.</summary>
    public int? DeviceId { get; set; }
    public ActionScope Scope { get; set; }

    /// <summary>The action's stable key (<see cref="ActionKind.Key"/>): what history is filtered and grouped by.</summary>
    public required string ActionKey { get; set; }

    /// <summary>The action's title as the person saw it then: "Reboot".</summary>
    public required string Action { get; set; }
    public string Options { get; set; } = "";

    /// <summary>The filters that chose the devices of a group action, as the operator saw them.</summary>
    public string FilterText { get; set; } = "";

    /// <summary>How many devices were resolved when the operator confirmed.</summary>
    public int DeviceCount { get; set; }

    /// <summary>Null when the action was allowed; otherwise the reason it was refused.</summary>
    public string? Refusal { get; set; }

    public List<ActionOutcome> Outcomes { get; set; } = [];
}

/// <summary>What became of one action run on one device. Written once, never changed.</summary>
public sealed class ActionOutcome
{
    public long Id { get; set; }
    public long ActionRunId { get; set; }
    public int DeviceId { get; set; }
    public required string DeviceUuid { get; set; }
    public required string DeviceName { get; set; }
    public OutcomeKind Kind { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset At { get; set; }

    public override string ToString() => Outcomes.Describe(Kind, Reason);
}
