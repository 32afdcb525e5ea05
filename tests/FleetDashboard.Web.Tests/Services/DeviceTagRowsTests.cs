using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>
/// Each tag row carries its device's application, kept by the store's triggers (migration DeviceTagsByApplication),
/// and the device list's tag filters read it: a device that moves, is orphaned, or gets a tag later is listed where
/// it now is, however the store was written to. A migration that loses the triggers fails here.
/// </summary>
public sealed class DeviceTagRowsTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    private Organization _acme = null!;

    public Task InitializeAsync() => _store.InitializeAsync();
    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task A_tagged_device_is_listed_by_its_tag_in_the_application_it_moved_to_and_no_longer_in_the_one_it_left()
    {
        var (from, to) = await ApplicationsAsync();
        var device = await _store.DeviceAsync(from, "kiosk-1", d => d.SetTag("site", "North"));

        await using (var db = _store.Db())
        {
            var tracked = await db.Devices.SingleAsync(d => d.Id == device.Id);
            tracked.ApplicationId = to.Id; // as a move writes it: the device's row, not its tags
            await db.SaveChangesAsync();
        }

        Assert.Empty(await TaggedNorthAsync(from.Id));
        Assert.Equal([device.Id], await TaggedNorthAsync(to.Id));
        Assert.Equal([to.Id], await TagApplicationsAsync(device.Id));
    }

    [Fact]
    public async Task A_set_based_orphaning_takes_the_tags_out_of_the_application()
    {
        var (from, _) = await ApplicationsAsync();
        var device = await _store.DeviceAsync(from, "kiosk-1", d => d.SetTag("site", "north"));

        await using (var db = _store.Db())
            await db.Devices.Where(d => d.Id == device.Id).ExecuteUpdateAsync(u => u.SetProperty(d => d.ApplicationId, (int?)null));

        Assert.Empty(await TaggedNorthAsync(from.Id));
        Assert.Equal([(int?)null], await TagApplicationsAsync(device.Id));
    }

    [Fact]
    public async Task A_tag_added_later_carries_the_application_and_a_changed_value_is_listed_by_it()
    {
        var (from, _) = await ApplicationsAsync();
        var device = await _store.DeviceAsync(from, "kiosk-1");

        await using (var db = _store.Db())
        {
            var tracked = await db.Devices.SingleAsync(d => d.Id == device.Id);
            tracked.SetTag("site", "south");
            tracked.SetTag("floor", "2");
            await db.SaveChangesAsync();
            tracked.SetTag("site", "NORTH");
            await db.SaveChangesAsync();
        }

        Assert.Equal([device.Id], await TaggedNorthAsync(from.Id));
        Assert.Equal([from.Id, from.Id], await TagApplicationsAsync(device.Id));
    }

    private async Task<(Core.Applications.Application From, Core.Applications.Application To)> ApplicationsAsync()
    {
        _acme = await _store.OrganizationAsync("Acme");
        return (await _store.ApplicationAsync(_acme, "kiosks"), await _store.ApplicationAsync(_acme, "signs"));
    }

    private async Task<List<int>> TaggedNorthAsync(int applicationId)
    {
        await using var db = _store.Db();
        var north = DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "north", "site");
        return await db.Listed(applicationId, [north], _store.Clock.Now).Select(d => d.Id).ToListAsync();
    }

    private async Task<List<int?>> TagApplicationsAsync(int deviceId)
    {
        await using var db = _store.Db();
        return await db.DeviceTags.Where(t => EF.Property<int>(t, DeviceTagRows.DeviceId) == deviceId)
            .OrderBy(t => t.Name).Select(t => EF.Property<int?>(t, DeviceTagRows.ApplicationId)).ToListAsync();
    }
}
