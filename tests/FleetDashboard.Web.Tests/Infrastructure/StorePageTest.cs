using Bunit;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Infrastructure;

/// <summary>A page over the real queries and actions and a migrated SQLite file of its own, rendered for one signed-in person.</summary>
public abstract class StorePageTest : ComponentTest
{
    protected FleetStore Store { get; }

    /// <param name="store">A store with settings of its own (an SMTP server), or a plain one.</param>
    protected StorePageTest(FleetStore? store = null) => Store = store ?? new FleetStore();

    /// <summary>The live feed the page subscribes to: a test publishes on it what devices would.</summary>
    protected DeviceFeed Feed { get; } = new(TimeProvider.System);

    protected sealed override async Task ArrangeAsync()
    {
        await Store.InitializeAsync();
        await ArrangeFleetAsync();
        Services.AddSingleton(Store.Queries);
        Services.AddSingleton(Store.Actions);
        Services.AddSingleton(Store.Invitations);
        Services.AddSingleton(Feed);
    }

    /// <summary>The organizations, applications and people the test class needs.</summary>
    protected abstract Task ArrangeFleetAsync();

    protected override Task DisposeMoreAsync() => Store.DisposeAsync();

    protected IRenderedComponent<TPage> RenderAs<TPage>(FleetUser user,
        Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null) where TPage : IComponent
    {
        Render<MudPopoverProvider>();
        var authentication = Task.FromResult(new AuthenticationState(FleetStore.SignedIn(user)));
        return Render<TPage>(ps =>
        {
            parameters?.Invoke(ps);
            ps.AddCascadingValue(authentication);
        });
    }
}
