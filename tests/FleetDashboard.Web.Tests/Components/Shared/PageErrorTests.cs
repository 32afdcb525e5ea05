using System.Net.Sockets;
using Bunit;
using FleetDashboard.Web.Components.Shared;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FleetDashboard.Web.Tests.Components.Shared;

/// <summary>What a failed page shows in the layout's error boundary: the store's outage plainly, and the page again once it answers.</summary>
public sealed class PageErrorTests : ComponentTest
{
    private readonly FleetStore _store = new();
    private int _recovered;

    protected override async Task ArrangeAsync()
    {
        await _store.InitializeAsync();
        Services.AddSingleton(_store.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>());
    }

    protected override Task DisposeMoreAsync() => _store.DisposeAsync();

    private IRenderedComponent<PageError> RenderFor(Exception error) =>
        Render<PageError>(ps => ps.Add(p => p.Error, error).Add(p => p.Recover, () => _recovered++));

    [Fact]
    public async Task An_unreachable_store_is_said_plainly_and_the_page_comes_back_once_the_store_answers()
    {
        var page = RenderFor(new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.Equal(StoreOutage.PageMessage, page.Find("#store-outage").TextContent.Trim());
        Assert.DoesNotContain("Failed to connect", page.Markup);
        // Recovering renders the boundary's page again, not this component: waited for, not for a render.
        await Wait.UntilAsync(() => Volatile.Read(ref _recovered) == 1, "the page to be rendered again");
    }

    [Fact]
    public void Another_failure_is_not_called_an_outage_nor_shown_in_its_own_words()
    {
        var page = RenderFor(new InvalidOperationException("a bug's own words"));

        Assert.Empty(page.FindAll("#store-outage"));
        Assert.Contains("could not be shown", page.Find("#page-error").TextContent);
        Assert.DoesNotContain("a bug's own words", page.Markup);
    }
}
