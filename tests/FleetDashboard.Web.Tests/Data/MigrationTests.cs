using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Data;

/// <summary>
/// Every change of the model has its migration, on each store. A start no longer compares the model with the last
/// migration's when nothing is pending (DatabaseStartup: it cost most of a second of every node's start), so this is
/// where a forgotten migration shows. Neither store is opened: the comparison is of the code with the migrations.
/// </summary>
public class MigrationTests
{
    [Fact]
    public void The_SQLite_migrations_hold_every_change_of_the_model()
    {
        using var db = new FleetDbContext(new DbContextOptionsBuilder<FleetDbContext>().UseFleetSqlite("Data Source=never-opened.db").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a SQLite migration: add one (README, Layout).");
    }

    [Fact]
    public void The_PostgreSQL_migrations_hold_every_change_of_the_model()
    {
        using var db = new PostgresFleetDbContextDesignFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration: add one (README, Layout).");
    }
}
