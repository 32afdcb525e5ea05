using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace FleetDashboard.Web.Data;

public static class DatabaseStartup
{
    /// <summary>
    /// Applies pending migrations, switches the file to WAL (readers and one writer at the same time),
    /// and in Development seeds the demo unless <c>Fleet:SeedDemo</c> is false.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await MigrateAsync(app.Services);

        if (app.Environment.IsDevelopment() && app.Configuration.GetValue("Fleet:SeedDemo", defaultValue: true))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await DemoSeed.SeedDemoAsync(scope.ServiceProvider);
        }
    }

    /// <summary>Migrations and WAL only: also what the create-admin command needs before it adds a user.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db is PostgresFleetDbContext)
        {
            // A new server has no database yet: MigrateAsync would make it, but the history table below comes first.
            var creator = db.GetService<IRelationalDatabaseCreator>();
            if (!await creator.ExistsAsync(cancellationToken)) await creator.CreateAsync(cancellationToken);
            // Npgsql's migrator reads the history table before it makes it and logs that first read of a new database
            // as an error (npgsql/efcore.pg#3407); made here first, a new database starts without an error in the log.
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
        }

        // Nothing to apply is the usual start. Asking costs a read of the history table; MigrateAsync would also build
        // the last migration's model and compare it with the code's, most of a second of a node's start on two cores
        // (B2's profile), while the fleet's devices back off further with every failed reconnection. That comparison
        // is a test instead (MigrationTests).
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any()) await db.Database.MigrateAsync(cancellationToken);
        // journal_mode=WAL is stored in the database file, so setting it once per start is enough.
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
