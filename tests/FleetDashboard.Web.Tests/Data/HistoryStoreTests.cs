using System.Data.Common;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Tests.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Data;

/// <summary>
/// History is append-only in the store itself, whichever store it is (SQLite's triggers, or PostgreSQL's from its own
/// migration): SQL that goes around the context is refused too.
/// </summary>
public sealed class HistoryStoreTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    private async Task<LedgerEntry> EntryAsync()
    {
        var organization = await _store.OrganizationAsync("Acme");
        var entry = new LedgerEntry { OrganizationId = organization.Id, At = _store.Clock.Now, AmountCents = 500, Description = "device fee" };
        await using var db = _store.Db();
        db.Ledger.Add(entry);
        await db.SaveChangesAsync();
        return entry;
    }

    [Fact]
    public async Task The_ledger_refuses_an_update_from_raw_SQL()
    {
        var entry = await EntryAsync();
        await using var db = _store.Db();

        var refused = await Assert.ThrowsAnyAsync<DbException>(() =>
            db.Database.ExecuteSqlAsync($"""UPDATE "Ledger" SET "AmountCents" = 0 WHERE "Id" = {entry.Id}"""));

        Assert.Contains("Ledger is append-only history", refused.Message);
        Assert.Equal(500, (await db.Ledger.SingleAsync(l => l.Id == entry.Id)).AmountCents);
    }

    [Fact]
    public async Task The_ledger_refuses_a_delete_from_raw_SQL()
    {
        var entry = await EntryAsync();
        await using var db = _store.Db();

        var refused = await Assert.ThrowsAnyAsync<DbException>(() =>
            db.Database.ExecuteSqlAsync($"""DELETE FROM "Ledger" WHERE "Id" = {entry.Id}"""));

        Assert.Contains("Ledger is append-only history", refused.Message);
        Assert.True(await db.Ledger.AnyAsync(l => l.Id == entry.Id));
    }
}
