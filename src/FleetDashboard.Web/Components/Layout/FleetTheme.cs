using MudBlazor;

namespace FleetDashboard.Web.Components.Layout;

/// <summary>MudBlazor's theme in the palette of fleet.css; system fonts, since no web font can be fetched.</summary>
public static class FleetTheme
{
    private static readonly string[] SystemFonts =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0f5c8c",
            Secondary = "#19b394",
            AppbarBackground = "#0f5c8c",
            Background = "#f3f5f8",
            DrawerBackground = "#ffffff",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = SystemFonts },
            // Names (the signed-in person's, applications', devices') keep their own case on buttons.
            Button = new ButtonTypography { FontFamily = SystemFonts, TextTransform = "none" },
        },
    };
}
