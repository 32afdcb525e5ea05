using Microsoft.Playwright;

namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>
/// A test that drives pages of <paramref name="server"/> in the shared Chromium. Each test (xUnit makes an instance per
/// test) gets fresh browser contexts, closed when it ends, pass or fail: an open circuit would keep the server waiting.
/// A test whose pages broke the Content-Security-Policy fails when it ends, whatever else it checked.
/// </summary>
public abstract class BrowserTest(BrowserFixture browser, FleetServer server) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<CspWatch> _csp = [];

    protected FleetServer Server => server;

    /// <summary>A page in a new context (no cookies) at 1280×800 whose relative URLs go to the server.</summary>
    protected async Task<IPage> OpenPageAsync()
    {
        var page = await browser.NewPageAsync(server);
        _contexts.Add(page.Context);
        _csp.Add(await CspWatch.AttachAsync(page.Context));
        return page;
    }

    /// <summary>The policy violations of every page this test opened so far.</summary>
    protected IReadOnlyList<string> CspViolations => _csp.SelectMany(watch => watch.Violations).ToList();

    /// <summary>Forgets the violations so far: for a test that provokes one on purpose.</summary>
    protected IReadOnlyList<string> TakeCspViolations() => _csp.SelectMany(watch => watch.Take()).ToList();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts) await context.CloseAsync();
        var violations = CspViolations;
        if (violations.Count > 0)
            throw new Xunit.Sdk.XunitException($"{violations.Count} Content-Security-Policy violation(s):\n{string.Join("\n", violations)}");
    }
}
