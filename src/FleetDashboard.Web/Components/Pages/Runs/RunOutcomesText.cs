using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Components.Pages.Runs;

/// <summary>What the run page says where its outcome table has no row.</summary>
public static class RunOutcomesText
{
    public static string WhenNone(bool pageLoaded, OutcomeKind? filter, ActionRunDetails? run) =>
        !pageLoaded ? "Loading outcomes…"
        : filter is { } kind ? $"No device {Outcomes.Describe(kind, null)}."
        : run?.Counts.Waiting > 0 ? "Waiting for the devices to answer…"
        : run?.Refusal is not null ? "The action was refused before it reached any device."
        : "This action did not act on devices.";
}
