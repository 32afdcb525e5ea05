using Bunit;
using FleetDashboard.Testing;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;

namespace FleetDashboard.Web.Tests.Infrastructure;

/// <summary>
/// A bUnit context with MudBlazor's services, rendering as the interactive server does. Disposed
/// asynchronously: one of MudBlazor's services can only be disposed that way.
/// </summary>
public abstract class ComponentTest : BunitContext, IAsyncLifetime
{
    // bUnit waits one second by default; two cores shared with builds and other test runs can take longer for a
    // debounced field and a query (a history filter failed so), and a wait ends as soon as it passes anyway.
    static ComponentTest() => DefaultWaitTimeout = Wait.DefaultTimeout;

    protected ComponentTest()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await ArrangeAsync();
        // Setting the renderer info reads the service provider, which takes no more services after that.
        SetRendererInfo(new RendererInfo("Server", true));
    }

    /// <summary>Where a test class adds its services and data, before anything is rendered.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await DisposeMoreAsync();
    }

    /// <summary>What a test class holds beyond the context (a store, a folder), disposed after it.</summary>
    protected virtual Task DisposeMoreAsync() => Task.CompletedTask;
}
