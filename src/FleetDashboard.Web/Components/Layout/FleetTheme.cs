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
            // MudBlazor's red and green (#f44336, #00a344) read at 3.7:1 and 3.2:1 as text on white: the fleet's
            // darker ones (fleet.css --fleet-danger, --fleet-success) reach 4.5:1 on white and on their tints.
            Error = "#c0392b",
            Success = "#18703e",
            // An alert writes in the darker shade of its colour on a tint of it; MudBlazor's (#d68100, #0c80df)
            // read at 2.9:1 and 3.8:1 there.
            WarningDarken = "#955c00",
            InfoDarken = "#0d6bc0",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = SystemFonts },
            // Names (the signed-in person's, applications', devices') keep their own case on buttons.
            Button = new ButtonTypography { FontFamily = SystemFonts, TextTransform = "none" },
        },
    };
}
