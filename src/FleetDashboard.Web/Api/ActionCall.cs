using FleetDashboard.Core;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Web.Actions;

namespace FleetDashboard.Web.Api;

/// <summary>
/// An action as a script asks for it: its stable key (<see cref="ActionKind.Key"/>, as history stores it), the
/// options the confirmation dialog's form would ask for, and for a run the confirmation its plan gave back, with the
/// typed name where the plan asks for one.
/// </summary>
public sealed record ActionCall(string Action, ActionInputs? Options = null, ApiTargets? Targets = null, ApiConfirmation? Confirmation = null)
{
    /// <summary>
    /// The request the dialog would make: the kind named by its key, built from the options exactly as the dialog's
    /// form builds it. A kind with a page of its own (releases, keys) or not offered on this scope is a
    /// <see cref="FleetDomainException"/>: which role may run it is the core's to say, on the run.
    /// </summary>
    public ActionRequest Request(DeviceTargets targets)
    {
        var kind = ActionCatalog.All.FirstOrDefault(k => k.Key == Action)
                   ?? throw new FleetDomainException($"\"{Action}\" is not an action. Actions: {string.Join(", ", ActionCatalog.All.Where(k => k.Build is not null).Select(k => k.Key))}.");
        if (kind.Build is null)
            throw new FleetDomainException($"{kind.Title} has its own endpoint (releases and provisioning keys under /api/v1/applications/{{id}}).");
        if (!ActionCatalog.Offered(targets.Scope, ApplicationRole.Administrator).Contains(kind))
            throw new FleetDomainException($"{kind.Title} is not done on {OnWhat(targets.Scope)}.");
        var request = new ActionRequest(kind.Build(Options ?? new ActionInputs()), targets);
        return Confirmation is null ? request : request with { Confirmed = Confirmation.ToConfirmation() };
    }

    private static string OnWhat(ActionScope scope) => scope switch
    {
        ActionScope.Device => "one device",
        ActionScope.Group => "a selection of devices",
        _ => "the application (or every device of it)",
    };
}

/// <summary>
/// Which devices of the application: none given, the application itself (or every device, for an action on devices);
/// <see cref="DeviceIds"/>, those devices; <see cref="AllMatching"/>, every device the <see cref="Filters"/> list when
/// the run is confirmed (the list page's select-all).
/// </summary>
public sealed record ApiTargets(IReadOnlyList<int>? DeviceIds = null, IReadOnlyList<ApiFilter>? Filters = null, bool AllMatching = false)
{
    public DeviceTargets For(int applicationId) =>
        AllMatching ? DeviceTargets.AllListed(applicationId, ApiFilter.All(Filters))
        : DeviceIds is { Count: > 0 } ids ? DeviceTargets.Group(applicationId, ids, ApiFilter.All(Filters))
        : Filters is { Count: > 0 } ? throw new FleetDomainException("Filters choose devices with allMatching: true (or name deviceIds).")
        : DeviceTargets.Application(applicationId);
}

/// <summary>What the plan gave back to confirm it (<see cref="Core.Actions.Confirmation"/>), and the name typed where it asks for one.</summary>
public sealed record ApiConfirmation(string? Fingerprint, int DeviceCount, int RunCount, string? TypedName = null)
{
    public static ApiConfirmation Of(ActionPlan plan)
    {
        var shown = Core.Actions.Confirmation.Of(plan);
        return new(shown.Fingerprint, shown.DeviceCount, shown.RunCount);
    }

    public Confirmation ToConfirmation() =>
        new(TypedName) { Fingerprint = Fingerprint, DeviceCount = DeviceCount, RunCount = RunCount };
}
