using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FleetDashboard.Web.Data;

/// <summary>
/// Where the fleet is kept: <c>Fleet:Store</c> = <c>Sqlite</c> (the default, one file) or <c>Postgres</c> (a server
/// several dashboard nodes share), with <c>ConnectionStrings:Fleet</c>. Everything asks for
/// <see cref="IDbContextFactory{FleetDbContext}"/>; which context and provider it hands out is decided here only.
/// </summary>
public static class FleetStores
{
    public const string StoreKey = "Fleet:Store";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    public static bool IsPostgres(IConfiguration configuration) =>
        string.Equals(configuration[StoreKey], Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>SQLite with the fleet's own SQL function and its way of passing lists.</summary>
    public static TBuilder UseFleetSqlite<TBuilder>(this TBuilder options, string connectionString) where TBuilder : DbContextOptionsBuilder
    {
        options.AddInterceptors(FleetDbFunctions.Registration.Instance)
            // A list of ids goes to SQLite as one JSON parameter, not one parameter each (EF 10's default): a
            // reboot of 10,000 devices spent 700 ms making and preparing a statement of 10,000 parameters (B4),
            // and every grouped device write one of up to 2,000 (B3).
            .UseSqlite(connectionString, sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
        return options;
    }

    /// <summary>PostgreSQL: <c>fleet_matches</c> is a function its migration creates; a list of ids goes as one array parameter.</summary>
    public static TBuilder UseFleetPostgres<TBuilder>(this TBuilder options, string connectionString) where TBuilder : DbContextOptionsBuilder
    {
        options.UseNpgsql(connectionString, npgsql => npgsql.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
        return options;
    }

    /// <summary>The factory (a singleton) and a scoped context made by it for Identity's stores.</summary>
    public static IServiceCollection AddFleetDbContexts(this IServiceCollection services,
        Func<IServiceProvider, (bool Postgres, string ConnectionString)> choose)
    {
        // The choice is read when the factory is first asked for, not now: settings that tests (and other hosts)
        // apply while the host is being built are then already in.
        services.AddSingleton<IDbContextFactory<FleetDbContext>>(provider =>
        {
            var (postgres, connectionString) = choose(provider);
            return new FleetDbContextFactory(provider, postgres, connectionString);
        });
        services.TryAddScoped(provider => provider.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>A parameter of raw SQL for the context's provider (each wants its own kind).</summary>
    public static System.Data.Common.DbParameter Parameter(this FleetDbContext db, string name, object value) =>
        db is PostgresFleetDbContext
            ? new Npgsql.NpgsqlParameter(name, value)
            : new Microsoft.Data.Sqlite.SqliteParameter(name, value);

    private sealed class FleetDbContextFactory : IDbContextFactory<FleetDbContext>
    {
        private readonly Func<FleetDbContext> _create;

        public FleetDbContextFactory(IServiceProvider services, bool postgres, string connectionString)
        {
            if (postgres)
            {
                var options = new DbContextOptionsBuilder<PostgresFleetDbContext>().UseApplicationServiceProvider(services);
                options.UseFleetPostgres(connectionString);
                var built = Configured(services, options).Options;
                _create = () => new PostgresFleetDbContext(built);
            }
            else
            {
                var options = new DbContextOptionsBuilder<FleetDbContext>().UseApplicationServiceProvider(services);
                options.UseFleetSqlite(connectionString);
                var built = Configured(services, options).Options;
                _create = () => new FleetDbContext(built);
            }
        }

        public FleetDbContext CreateDbContext() => _create();

        /// <summary>What others add with ConfigureDbContext&lt;FleetDbContext&gt; (the store timing's interceptor), on either store.</summary>
        private static T Configured<T>(IServiceProvider services, T options) where T : DbContextOptionsBuilder
        {
            foreach (var configuration in services.GetServices<IDbContextOptionsConfiguration<FleetDbContext>>())
                configuration.Configure(services, options);
            return options;
        }
    }
}
