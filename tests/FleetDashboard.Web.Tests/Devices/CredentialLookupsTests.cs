using FleetDashboard.Core.Access;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>Credentials looked up together against the real store: a crowd signing in at once takes one query, not one each.</summary>
public sealed class CredentialLookupsTests(DeviceFleetServer server) : IClassFixture<DeviceFleetServer>
{
    [Fact]
    public async Task A_crowd_signing_in_at_once_is_looked_up_in_two_queries_each_answered_for_its_own_credential()
    {
        var fleet = await server.FleetAsync("lookups-crowd");
        var devices = new List<(string Hash, int Id, string Uuid)>();
        for (var i = 0; i < 20; i++)
        {
            var registered = await fleet.RegisterAsync();
            devices.Add((Secret.Hash(registered.Credential), await fleet.DeviceIdAsync(registered.Uuid), registered.Uuid));
        }
        var orphan = devices[^1];
        await using (var db = await server.DbAsync())
            await db.Devices.Where(d => d.Id == orphan.Id).ExecuteUpdateAsync(set => set.SetProperty(d => d.ApplicationId, (int?)null));
        // The first query waits at the store's door until the whole crowd is queued behind it.
        var dbs = new GatedFactory(server.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>());
        using var lookups = new CredentialLookups(dbs);

        var asked = Enumerable.Range(0, 600).Select(i => i % 3 == 2 ? Secret.Hash($"unknown-{i}") : devices[i % devices.Count].Hash).ToList();
        var answers = asked.Select(hash => lookups.DeviceAsync(hash, CancellationToken.None)).ToList();
        dbs.Open();
        var holders = await Task.WhenAll(answers).WaitAsync(TimeSpan.FromMinutes(1));

        for (var i = 0; i < asked.Count; i++)
        {
            var device = devices.SingleOrDefault(d => d.Hash == asked[i]);
            var expected = device.Hash is null || device == orphan ? null : new CredentialLookups.Holder(device.Id, device.Uuid);
            Assert.Equal(expected, holders[i]);
        }
        Assert.InRange(dbs.Created, 1, 2);
    }

    [Fact]
    public async Task A_credential_stops_working_with_the_next_look_up_once_its_device_leaves_the_application()
    {
        var fleet = await server.FleetAsync("lookups-revoked");
        var registered = await fleet.RegisterAsync();
        var id = await fleet.DeviceIdAsync(registered.Uuid);
        var lookups = server.Services.GetRequiredService<CredentialLookups>();
        Assert.Equal(id, (await lookups.DeviceAsync(Secret.Hash(registered.Credential), CancellationToken.None))?.Id);

        await using (var db = await server.DbAsync())
            await db.Devices.Where(d => d.Id == id).ExecuteUpdateAsync(set => set.SetProperty(d => d.ApplicationId, (int?)null));

        Assert.Null(await lookups.DeviceAsync(Secret.Hash(registered.Credential), CancellationToken.None));
    }

    /// <summary>The server's own store, with a door the test opens, counting the contexts made.</summary>
    private sealed class GatedFactory(IDbContextFactory<FleetDbContext> inner) : IDbContextFactory<FleetDbContext>
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _created;

        public int Created => _created;

        public void Open() => _open.TrySetResult();

        public FleetDbContext CreateDbContext() => throw new NotSupportedException("The look-ups make their contexts asynchronously.");

        public async Task<FleetDbContext> CreateDbContextAsync(CancellationToken ct = default)
        {
            Interlocked.Increment(ref _created);
            await _open.Task.WaitAsync(ct);
            return await inner.CreateDbContextAsync(ct);
        }
    }
}
