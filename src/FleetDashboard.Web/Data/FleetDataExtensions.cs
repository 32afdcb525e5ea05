using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Data;

public static class FleetDataExtensions
{
    public const string ConnectionStringName = "Fleet";
    public const string DataDirectoryKey = "Fleet:DataDirectory";

    /// <summary>
    /// The store (<see cref="FleetStores"/>) through <see cref="IDbContextFactory{FleetDbContext}"/> (one context per operation), plus a
    /// scoped <see cref="FleetDbContext"/> made by that factory for Identity's stores.
    /// </summary>
    public static WebApplicationBuilder AddFleetData(this WebApplicationBuilder builder)
    {
        // Configuration is read when the options are built, not now: settings that tests (and other hosts)
        // apply while the host is being built are then already in.
        builder.Services.AddFleetDbContexts(services =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            return (FleetStores.IsPostgres(configuration),
                ResolveConnectionString(configuration, services.GetRequiredService<IHostEnvironment>()));
        });

        builder.Services.AddDatabaseDeveloperPageExceptionFilter();
        return builder;
    }

    /// <summary><c>Fleet:DataDirectory</c>, or <c>data</c> under the content root; created when missing.</summary>
    public static string ResolveDataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[DataDirectoryKey];
        var directory = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(environment.ContentRootPath, "data")
            : Path.GetFullPath(configured, environment.ContentRootPath);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary><c>ConnectionStrings:Fleet</c>, or the file <c>fleet.db</c> in the data folder.</summary>
    public static string ResolveConnectionString(IConfiguration configuration, IHostEnvironment environment)
    {
        var dataDirectory = ResolveDataDirectory(configuration, environment);
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (FleetStores.IsPostgres(configuration))
            throw new InvalidOperationException("Fleet:Store is Postgres: set ConnectionStrings:Fleet to the PostgreSQL server.");

        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "fleet.db"),
        }.ToString();
    }
}
