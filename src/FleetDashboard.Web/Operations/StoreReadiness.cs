using FleetDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetDashboard.Web.Operations;

/// <summary>
/// Ready to serve: the store opens and every migration this build knows is applied to it (a process started on an
/// older file, or whose file went away, must not be sent traffic).
/// </summary>
public sealed class StoreReadiness(IDbContextFactory<FleetDbContext> dbs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        if (db is PostgresFleetDbContext) return await CheckServerAsync(db, cancellationToken);
        // A connection of its own, never pooled (a pooled one keeps a moved or deleted file open) and never creating
        // the file: a store that is not there is unreachable, not a new empty one.
        var probe = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        if (probe.Mode == SqliteOpenMode.ReadWriteCreate) probe.Mode = SqliteOpenMode.ReadWrite;
        await using var connection = new SqliteConnection(probe.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            db.Database.SetDbConnection(connection);
            return Report((await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList());
        }
        catch (SqliteException e)
        {
            return HealthCheckResult.Unhealthy($"store unreachable: {e.Message}");
        }
    }

    /// <summary>A server: it answers, and has every migration (its pooled connections are no file to go stale).</summary>
    private static async Task<HealthCheckResult> CheckServerAsync(FleetDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken))
                return HealthCheckResult.Unhealthy("store unreachable: cannot connect to the PostgreSQL server");
            return Report((await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList());
        }
        catch (Npgsql.NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy($"store unreachable: {e.Message}");
        }
    }

    private static HealthCheckResult Report(List<string> pending) =>
        pending.Count == 0
            ? HealthCheckResult.Healthy("store reachable, migrations applied")
            : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied to the store: {string.Join(", ", pending)}");
}
