using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FleetDashboard.Web.Data;

/// <summary>
/// The fleet on PostgreSQL (<c>Fleet:Store=Postgres</c>): the same model as <see cref="FleetDbContext"/>, with its own
/// migrations in Data/Migrations/Postgres, since a migration is written for one provider's SQL.
/// </summary>
public sealed class PostgresFleetDbContext(DbContextOptions<PostgresFleetDbContext> options) : FleetDbContext(options);

/// <summary>For dotnet-ef only: makes migrations without a server (the connection string is never opened).</summary>
internal sealed class PostgresFleetDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresFleetDbContext>
{
    public PostgresFleetDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresFleetDbContext>();
        options.UseFleetPostgres("Host=127.0.0.1;Port=55432;Username=postgres;Database=fleet_design");
        return new(options.Options);
    }
}

/// <summary>
/// For dotnet-ef only, beside the one above: without it, dotnet-ef takes the PostgreSQL factory for FleetDbContext too
/// (its context is one) and writes a SQLite migration in PostgreSQL's SQL. The file is never opened.
/// </summary>
internal sealed class FleetDbContextDesignFactory : IDesignTimeDbContextFactory<FleetDbContext>
{
    public FleetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FleetDbContext>().UseFleetSqlite("Data Source=fleet-design.db").Options);
}
