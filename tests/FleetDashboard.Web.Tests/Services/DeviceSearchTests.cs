using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>
/// SQLite's search index (migration DeviceSearch) follows every way a device row is written, and a substring filter
/// through it lists exactly what the text says. A migration that loses its triggers fails here.
/// </summary>
// SQLite by nature: FTS5 is SQLite's; PostgreSQL filters substrings without it.
[Trait("Store", "SqliteOnly")]
public sealed class DeviceSearchTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    private Core.Applications.Application _app = null!;

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        _app = await _store.ApplicationAsync(await _store.OrganizationAsync("Acme"), "kiosks");
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task Renamed_changed_and_deleted_devices_are_found_by_what_they_hold_now()
    {
        var lobby = await _store.DeviceAsync(_app, "Lobby \"east\" 42", d => d.ReleaseCommit = "abc123");
        var dock = await _store.DeviceAsync(_app, "dock-7");

        Assert.Equal([lobby.Id], await ContainingAsync(DeviceColumn.Name, "\"EAST\""));
        Assert.Equal([lobby.Id], await ContainingAsync(DeviceColumn.Name, "42"));
        Assert.Equal([lobby.Id], await ContainingAsync(DeviceColumn.Name, "2")); // the last character: the padding's trigram

        await using (var db = _store.Db())
        {
            var tracked = await db.Devices.SingleAsync(d => d.Id == dock.Id);
            tracked.Name = "dock-42";
            await db.SaveChangesAsync();
            await db.Devices.Where(d => d.Id == lobby.Id).ExecuteUpdateAsync(u => u.SetProperty(d => d.ReleaseCommit, "fff000"));
        }
        Assert.Equal([lobby.Id, dock.Id], await ContainingAsync(DeviceColumn.Name, "42"));
        Assert.Empty(await ContainingAsync(DeviceColumn.Name, "dock-7"));
        Assert.Empty(await ContainingAsync(DeviceColumn.Release, "abc"));
        Assert.Equal([lobby.Id], await ContainingAsync(DeviceColumn.Release, "F0"));

        await using (var db = _store.Db())
            await db.Devices.Where(d => d.Id == lobby.Id).ExecuteDeleteAsync();
        Assert.Equal([dock.Id], await ContainingAsync(DeviceColumn.Name, "42"));
    }

    [Fact]
    public async Task A_short_text_no_device_holds_lists_none()
    {
        await _store.DeviceAsync(_app, "kiosk-1");

        Assert.Empty(await ContainingAsync(DeviceColumn.Name, "zq"));
        Assert.Empty(await ContainingAsync(DeviceColumn.Name, "x"));
    }

    private async Task<List<int>> ContainingAsync(DeviceColumn column, string text)
    {
        await using var db = _store.Db();
        var filter = DeviceFilter.Create(column, FilterOperator.Contains, text);
        return await db.Listed(_app.Id, [filter], _store.Clock.Now).OrderBy(d => d.Id).Select(d => d.Id).ToListAsync();
    }
}
