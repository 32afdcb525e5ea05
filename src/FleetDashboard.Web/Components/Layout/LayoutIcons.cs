using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace FleetDashboard.Web.Components.Layout;

/// <summary>
/// The layout's icons as markup, as MudIcon drew them: one frame each pointing at one string that every circuit shares,
/// where a MudIcon was a component with two render trees in every circuit. (Razor already turns the layout's literal
/// markup into such frames; these are built from MudBlazor's icon constants, so they are written here.)
/// </summary>
public static class LayoutIcons
{
    public static MarkupString Menu { get; } = Svg(Icons.Material.Filled.Menu, "mud-icon-size-medium");

    public static MarkupString Account { get; } = new(
        $"""<span class="mud-button-icon-start mud-button-icon-size-medium">{Svg(Icons.Material.Filled.AccountCircle, "mud-icon-size-medium")}</span>""");

    public static MarkupString SignOut { get; } = new(
        $"""<span class="mud-button-icon-start mud-button-icon-size-small">{Svg(Icons.Material.Filled.Logout, "mud-icon-size-small")}</span>""");

    public static MarkupString Applications { get; } = NavItem(Icons.Material.Filled.Apps, "Applications");

    public static MarkupString Organizations { get; } = NavItem(Icons.Material.Filled.Business, "Organizations");

    private static MarkupString NavItem(string icon, string text) => new(
        $"""{Svg(icon, "mud-icon-size-medium mud-nav-link-icon mud-nav-link-icon-default", "mud-icon-default ")}<div class="mud-nav-link-text">{text}</div>""");

    // MudIcon's markup for an SVG icon; MudBlazor's icons are the SVG's inner elements.
    private static MarkupString Svg(string icon, string size, string extra = "") => new(
        $"""<svg class="mud-icon-root {extra}mud-svg-icon {size}" focusable="false" viewBox="0 0 24 24" aria-hidden="true" role="img">{icon}</svg>""");
}
