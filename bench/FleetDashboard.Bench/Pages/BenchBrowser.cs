using Microsoft.Playwright;

namespace FleetDashboard.Bench.Pages;

/// <summary>
/// Debian's Chromium driven by Playwright, launched as the end-to-end tests launch it (never `playwright install`):
/// one signed-in context whose pages each hold their own circuit.
/// </summary>
public sealed class BenchBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        // Pages in background tabs would otherwise be throttled: every open page here is a screen someone watches.
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BenchBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
    }

    public IBrowserContext Context { get; }

    public static bool Available => File.Exists(ChromiumPath);

    public static async Task<BenchBrowser> LaunchAsync(Uri server)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath, Headless = true, Args = Arguments,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(60_000);
        return new BenchBrowser(playwright, browser, context);
    }

    /// <summary>Signs in through the real form; the page stays on the applications list, live.</summary>
    public async Task<IPage> SignInAsync(string email, string password)
    {
        var page = await Context.NewPageAsync();
        await page.GotoAsync("Account/Login");
        await page.Locator("[id='Input.Email']").FillAsync(email);
        await page.Locator("[id='Input.Password']").FillAsync(password);
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/applications");
        await WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>The layouts render #interactive-ready once the circuit is live.</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("#interactive-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
