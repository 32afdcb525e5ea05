using FleetDashboard.Bench.Hosting;
using FleetDashboard.Testing;
using Microsoft.Playwright;

namespace FleetDashboard.Bench.Pages;

/// <summary>
/// `shots DIR`: screenshots and the HTML of the pages B7 weighs (the summary at a laptop's size, the empty page, the
/// wall at a wall screen's), from a `serve-pages` server with B7's setup, so that a change that makes them lighter
/// can be seen to leave them looking the same.
/// </summary>
public static class PageShots
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dir = Directory.CreateDirectory(args[1]).FullName;
        var data = Path.Combine(Path.GetTempPath(), $"fleet-shots-{Guid.NewGuid():N}");
        await using var server = await PagesSide.StartProcessAsync(data, CancellationToken.None);
        var setup = await PagesSide.SetupAsync(server, 480, CancellationToken.None);
        await using var browser = await BenchBrowser.LaunchAsync(server.Address!);
        await browser.SignInAsync(BenchServer.AdminEmail, FleetServer.DemoPassword);
        (string Name, string Url, string Ready, int Width, int Height)[] shots =
        [
            ("summary-laptop", $"applications/{setup.ApplicationId}", ".fleet-device-status", 1366, 768),
            ("summary-narrow", $"applications/{setup.ApplicationId}", ".fleet-device-status", 800, 900),
            ("empty-laptop", "bench-no-such-page", "#interactive-ready", 1366, 768),
            ("wall-screen", $"wall/{setup.WallToken}", "#wall-grid > *", 1920, 1080),
        ];
        foreach (var (name, url, ready, width, height) in shots)
        {
            var page = await browser.Context.NewPageAsync();
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync(url);
            await BenchBrowser.WaitForCircuitAsync(page);
            await page.Locator(ready).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png") });
            await File.WriteAllTextAsync(Path.Combine(dir, name + ".html"), await page.ContentAsync());
            if (name.StartsWith("summary", StringComparison.Ordinal))
            {
                // The menu button: the drawer hides on a wide screen and shows over the page on a narrow one.
                await page.Locator("button[aria-label='Toggle navigation']").ClickAsync();
                await page.WaitForFunctionAsync("() => document.querySelector('.mud-drawer').getAnimations().length === 0");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + "-menu.png") });
            }
            await page.CloseAsync();
        }
        Console.WriteLine($"shots in {dir}");
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        return 0;
    }
}
