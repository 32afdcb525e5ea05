using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FleetDashboard.Web.Tests.Data;

/// <summary>History recorded before action keys existed reads back under the keys of its titles, and stays append-only.</summary>
// SQLite by nature: old rows migrated by the landed SQLite migrations (PostgreSQL starts from its own Initial).
[Trait("Store", "SqliteOnly")]
public sealed class ActionKeysMigrationTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"fleet-keys-{Guid.NewGuid():N}.db");

    private FleetDbContext Db() => new(new DbContextOptionsBuilder<FleetDbContext>()
        .UseFleetSqlite(new SqliteConnectionStringBuilder { DataSource = _path }.ToString()).Options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [Fact]
    public async Task Old_runs_get_the_key_of_their_title_and_an_unknown_title_keeps_itself()
    {
        await using (var before = Db())
        {
            await before.GetService<IMigrator>().MigrateAsync("DeviceListIndexes");
            foreach (var title in new[] { "Reboot", "Move to another application", "Blink twice" })
                await before.Database.ExecuteSqlAsync(
                    $"INSERT INTO ActionRuns (At, ActorUserId, ActorEmail, ApplicationName, Scope, Action, Options, FilterText, DeviceCount) VALUES (0, 'u', 'u@acme.test', 'kiosks', 'Group', {title}, '', '', 1)");
        }

        await using var db = Db();
        await db.Database.MigrateAsync();
        var keys = await db.ActionRuns.OrderBy(r => r.Id).Select(r => r.ActionKey).ToListAsync();

        Assert.Equal([RebootDevice.Reboot.Key, MoveDevice.Move.Key, "Blink twice"], keys);
        Assert.Equal("Reboot", ActionCatalog.TitleOf(keys[0]));
        await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("UPDATE ActionRuns SET ActionKey = 'x'"));
    }
}
