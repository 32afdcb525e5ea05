using FleetDashboard.Web.Devices;
using Microsoft.AspNetCore.Components;

namespace FleetDashboard.Web.Components.Shared;

/// <summary>
/// Subscribes the page around it to the live feed for what the page shows and calls it back once per batch
/// (eShop's <c>OrdersRefreshOnStatusChange</c>). The feed coalesces a storm into batches and sends the next one
/// only when the page has handled this one, so a page never reloads twice for one batch nor runs two reloads at once.
/// Renders nothing; leaving the page (or the branch it sits in) ends the subscription.
/// </summary>
public sealed class RefreshOnDeviceEvents : ComponentBase, IDisposable
{
    [Inject] private DeviceFeed Feed { get; set; } = default!;

    /// <summary>Whether an event is about something the page shows; read on the device's thread, so only read fields.</summary>
    [Parameter, EditorRequired] public Func<DeviceEvent, bool> About { get; set; } = _ => false;

    /// <summary>The page's reload, on the page's dispatcher; it renders what it changed.</summary>
    [Parameter, EditorRequired] public Func<IReadOnlyList<DeviceEvent>, Task> Reload { get; set; } = _ => Task.CompletedTask;

    /// <summary>Reload once on subscribing too: for what changed between the page's first load and the subscription.</summary>
    [Parameter] public bool CatchUp { get; set; }

    private IDisposable? _subscription;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Only once interactive: a prerendered page has no circuit to push to (and no after-render).
        if (!firstRender || _subscription is not null) return;
        _subscription = Feed.Subscribe(e => About(e), batch => InvokeAsync(() => Reload(batch)));
        if (CatchUp) await Reload([]);
    }

    public void Dispose() => _subscription?.Dispose();
}
