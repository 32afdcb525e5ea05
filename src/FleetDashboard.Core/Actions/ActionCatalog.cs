using System.Reflection;
using FleetDashboard.Core.Applications;

namespace FleetDashboard.Core.Actions;

/// <summary>
/// Every kind of action the core knows, found on the action records themselves (their static
/// <see cref="ActionKind"/> fields): the menus, the history's keys and titles all read from here.
/// </summary>
public static class ActionCatalog
{
    public static IReadOnlyList<ActionKind> All { get; } = typeof(ActionKind).Assembly.GetTypes()
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(f => f.FieldType == typeof(ActionKind))
        .Select(f => (ActionKind)f.GetValue(null)!)
        .OrderBy(k => k.Menu).ThenBy(k => k.Order).ThenBy(k => k.Title, StringComparer.Ordinal)
        .ToList();

    private static readonly Dictionary<string, ActionKind> ByKey = All.ToDictionary(k => k.Key);

    /// <summary>The title to show for a stored key; a key no action has any more reads as itself, no key as nothing.</summary>
    public static string TitleOf(string? key) => key is null ? "" : ByKey.GetValueOrDefault(key)?.Title ?? key;

    /// <summary>What is offered for a scope to someone with <paramref name="role"/>: nothing they may not do.</summary>
    public static IReadOnlyList<ActionKind> Offered(ActionScope scope, ApplicationRole role) =>
        All.Where(k => role >= k.LeastRole && k.Build is not null && scope switch
        {
            ActionScope.Device => k.Menu is ActionMenu.General or ActionMenu.DeviceSpecific,
            ActionScope.Group => k.Menu is ActionMenu.General or ActionMenu.Dangerous
                                 || k is { Menu: ActionMenu.DeviceSpecific, OneDeviceOnly: false },
            ActionScope.Application => k.Menu is ActionMenu.General or ActionMenu.Application,
            _ => false,
        }).ToList();

    /// <summary>The kinds of one menu, in order, that <paramref name="role"/> may use.</summary>
    public static IReadOnlyList<ActionKind> In(ActionMenu menu, ApplicationRole role) =>
        All.Where(k => k.Menu == menu && role >= k.LeastRole).ToList();
}
