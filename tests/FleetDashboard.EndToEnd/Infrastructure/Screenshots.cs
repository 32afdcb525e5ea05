using FleetDashboard.Web.Hosting;
using Microsoft.Playwright;

namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>
/// Full-page screenshots of what the tests visit, under TestResults/screenshots/ at the repository root, named
/// <c>&lt;test&gt;-&lt;step&gt;-&lt;width&gt;x&lt;height&gt;.png</c>, so that a person can look at every page.
/// </summary>
public static class Screenshots
{
    public static readonly ViewportSize Laptop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Desktop = new() { Width = 1920, Height = 1080 };

    public static string Directory { get; } = Path.Combine(
        FleetHostExtensions.FindSolutionDirectory(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"No {FleetHostExtensions.SolutionFileName} above {AppContext.BaseDirectory}."),
        "TestResults", "screenshots");

    /// <summary>Captures the page at 1280×800 only.</summary>
    public static Task TakeAsync(IPage page, string test, string step) => TakeAsync(page, test, step, Laptop);

    /// <summary>Captures the page at 1280×800 and at 1920×1080, then puts the viewport back.</summary>
    public static Task TakeBothAsync(IPage page, string test, string step) => TakeAsync(page, test, step, Laptop, Desktop);

    private static async Task TakeAsync(IPage page, string test, string step, params ViewportSize[] sizes)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var original = page.ViewportSize;
        foreach (var size in sizes)
        {
            if (page.ViewportSize is not { } current || current.Width != size.Width || current.Height != size.Height)
                await page.SetViewportSizeAsync(size.Width, size.Height);
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(Directory, $"{test}-{step}-{size.Width}x{size.Height}.png"),
                FullPage = true,
                Animations = ScreenshotAnimations.Disabled,
            });
        }
        if (original is not null && (original.Width != page.ViewportSize?.Width || original.Height != page.ViewportSize?.Height))
            await page.SetViewportSizeAsync(original.Width, original.Height);
    }
}
