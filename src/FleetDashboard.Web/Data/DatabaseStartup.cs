using Microsoft.EntityFrameworkCore;

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
        await db.Database.MigrateAsync(cancellationToken);
        // journal_mode=WAL is stored in the database file, so setting it once per start is enough.
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
