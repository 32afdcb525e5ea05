using Microsoft.Playwright;

namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright, launched once for the browser test classes and shared by them; each
/// test opens its own context (cookies, storage), so no sign-in leaks from one test into another.
/// Never `playwright install`: there are no downloads here (shared/RECIPES.md).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not launched.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: `apt-get install -y chromium` (test.sh does it).");
        // A 2-core machine running a server, its demo fleet and a browser is slower than Playwright's 5 s default.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Arguments,
        });
    }

    /// <summary>A fresh context at 1280×800 whose relative URLs go to <paramref name="server"/>.</summary>
    public async Task<IPage> NewPageAsync(FleetServer server)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = Screenshots.Laptop,
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The browser test classes: one Chromium for all, and the classes run one after another (2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
