using System.Security.Cryptography;
using System.Text;

namespace FleetDashboard.Core.Actions;

/// <summary>
/// What a person confirmed: the name they typed and the plan they saw — the action with its options, whether it
/// was allowed, and for an action on devices which devices and which of them would run — as a fingerprint with
/// its counts. The service plans again on confirm and runs only the plan that was confirmed: a selection that grew
/// while the dialog was open is refused, never run.
/// </summary>
public sealed record Confirmation(string? TypedName = null)
{
    /// <summary>Null when the caller confirmed no particular plan (a script that names what it destroys).</summary>
    public string? Fingerprint { get; init; }
    public int DeviceCount { get; init; }
    public int RunCount { get; init; }

    /// <summary>The confirmation of <paramref name="plan"/> as shown, with the name the person typed.</summary>
    public static Confirmation Of(ActionPlan plan, string? typedName = null) => new(typedName)
    {
        Fingerprint = FingerprintOf(plan), DeviceCount = plan.Devices.Count, RunCount = plan.RunCount,
    };

    /// <summary>
    /// Null when <paramref name="plan"/> is the one confirmed, otherwise why it may not run. The devices a plan on
    /// the application itself touches are not a choice the person made: they are not part of its print.
    /// </summary>
    public static string? Problem(ActionPlan plan, Confirmation? confirmation)
    {
        if (confirmation?.Fingerprint is { } fingerprint && fingerprint != FingerprintOf(plan))
            return ChangedSince(plan, confirmation);
        if (plan.NameToType is not { } name) return null;
        var typed = confirmation?.TypedName?.Trim();
        if (string.IsNullOrEmpty(typed)) return $"{plan.Action.Title} needs {name} typed to confirm it; nothing was done.";
        return string.Equals(typed, name, StringComparison.Ordinal) ? null : $"\"{typed}\" is not {name}; nothing was done.";
    }

    private static string ChangedSince(ActionPlan plan, Confirmation confirmed)
    {
        const string review = "review the plan again";
        if (plan.Action is not DeviceAction)
            return $"{plan.Action.Title} as it stands now is not what you confirmed (it was refused, or its options differ); {review}.";
        if (plan.Devices.Count != confirmed.DeviceCount)
            return $"The selection changed: {English.Count(plan.Devices.Count, "device")} now, {confirmed.DeviceCount} when you confirmed; {review}.";
        if (plan.RunCount != confirmed.RunCount)
            return $"The plan changed: {plan.RunCount} of them would run now, {confirmed.RunCount} when you confirmed; {review}.";
        return $"The selection changed: as many devices as when you confirmed, but not the same ones; {review}.";
    }

    /// <summary>
    /// The action, its options and whether it was allowed, then for an action on devices each device and whether it
    /// runs, in id order, hashed: the same plan gives the same print.
    /// </summary>
    private static string FingerprintOf(ActionPlan plan)
    {
        var text = new StringBuilder(plan.Devices.Count * 8);
        text.Append(plan.Action.Key).Append('\n').Append(plan.Action.Options).Append('\n').Append(plan.Decision.IsAllowed).Append('\n');
        if (plan.Action is DeviceAction)
            foreach (var planned in plan.Devices.OrderBy(d => d.Device.Id))
                text.Append(planned.Device.Id).Append(planned.WillRun ? '+' : '-');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
