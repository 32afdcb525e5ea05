using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Actions;

/// <summary>One device in a plan: it will run the action, or it is skipped and why.</summary>
public sealed record PlannedDevice(Device Device, Skip? Skip)
{
    public bool WillRun => Skip is null;
}

/// <summary>
/// What an action on many devices will do before anything happens: "83 will reboot; 12 offline will not
/// be notified; 5 agent too old". A refused plan skips every device with the refusal as its reason.
/// </summary>
public sealed record ActionPlan(DeviceAction Action, Decision Decision, IReadOnlyList<PlannedDevice> Devices)
{
    public IEnumerable<Device> ToRun => Devices.Where(d => d.WillRun).Select(d => d.Device);
    public int RunCount => Devices.Count(d => d.WillRun);

    /// <summary>Skipped devices grouped by reason, most common first.</summary>
    public IReadOnlyList<(Skip Skip, int Count)> Skipped =>
        Devices.Where(d => d.Skip is not null)
            .GroupBy(d => d.Skip!)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(g => g.Item2)
            .ToList();

    public string Summary
    {
        get
        {
            if (!Decision.IsAllowed) return Decision.Refusal!;
            var parts = new List<string> { $"{RunCount} will {Action.Verb}" };
            parts.AddRange(Skipped.Select(s => s.Skip.Kind == OutcomeKind.NotNotified
                ? $"{s.Count} {s.Skip.Reason} will not be notified"
                : $"{s.Count} {s.Skip.Reason}"));
            return string.Join("; ", parts);
        }
    }
}
