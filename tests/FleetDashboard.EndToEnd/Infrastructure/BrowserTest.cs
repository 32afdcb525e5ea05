using Microsoft.Playwright;

namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>
/// A test that drives pages of <paramref name="server"/> in the shared Chromium. Each test (xUnit makes an instance per
/// test) gets fresh browser contexts, closed when it ends, pass or fail: an open circuit would keep the server waiting.
/// </summary>
public abstract class BrowserTest(BrowserFixture browser, DemoServer server) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    protected DemoServer Server => server;

    /// <summary>A page in a new context (no cookies) at 1280×800 whose relative URLs go to the server.</summary>
    protected async Task<IPage> OpenPageAsync()
    {
        var page = await browser.NewPageAsync(server);
        _contexts.Add(page.Context);
        return page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts) await context.CloseAsync();
    }
}
