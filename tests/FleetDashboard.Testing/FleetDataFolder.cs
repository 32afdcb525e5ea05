using FleetDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FleetDashboard.Testing;

/// <summary>
/// The folder a test's dashboard keeps on disk (its SQLite file and anything else): a fresh one under the temp folder,
/// deleted on dispose; or a given one, which outlives this object (a server restarted over the same file).
/// With <c>FLEET_TEST_STORE=Postgres</c> the store is a PostgreSQL database of its own instead, named after the folder
/// (so a server restarted over the folder finds it again), dropped by the object that owns the folder or made the database.
/// </summary>
public sealed class FleetDataFolder : IDisposable
{
    /// <summary>The admin connection of the test server (deploy/local/postgres.sh start).</summary>
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("FLEET_TEST_POSTGRES") is { Length: > 0 } admin ? admin : "Host=127.0.0.1;Port=55432;Username=postgres";

    /// <summary>Which store the tests run on: <c>Sqlite</c> unless <c>FLEET_TEST_STORE=Postgres</c>.</summary>
    public static string TestStore =>
        string.Equals(Environment.GetEnvironmentVariable("FLEET_TEST_STORE"), FleetStores.Postgres, StringComparison.OrdinalIgnoreCase)
            ? FleetStores.Postgres
            : FleetStores.Sqlite;

    private readonly bool _owned;
    private readonly bool _madeDatabase;

    /// <param name="path">A given folder, kept on dispose; null: a fresh temp folder.</param>
    /// <param name="store">This store whatever <c>FLEET_TEST_STORE</c> says (the cluster tests are PostgreSQL's by nature).</param>
    public FleetDataFolder(string? path = null, string? store = null)
    {
        _owned = path is null;
        Store = store ?? TestStore;
        Path = path ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fleet-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (IsPostgres) _madeDatabase = CreateDatabase();
    }

    public string Path { get; }

    public string Store { get; }

    public bool IsPostgres => Store == FleetStores.Postgres;

    /// <summary>The SQLite file (on SQLite only).</summary>
    public string DatabasePath => System.IO.Path.Combine(Path, "fleet.db");

    /// <summary>fleet_test_ and a hash of the folder's full path: one database per folder, as unique as the folder.</summary>
    public string DatabaseName => "fleet_test_" + Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(System.IO.Path.GetFullPath(Path))))[..32];

    public string ConnectionString => IsPostgres
        ? new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = DatabaseName }.ToString()
        : new SqliteConnectionStringBuilder { DataSource = DatabasePath }.ToString();

    /// <summary>A context over this store as the dashboard makes it (its provider, function and settings).</summary>
    public FleetDbContext Db(Action<DbContextOptionsBuilder>? configure = null)
    {
        if (IsPostgres)
        {
            var postgres = new DbContextOptionsBuilder<PostgresFleetDbContext>();
            postgres.UseFleetPostgres(ConnectionString);
            configure?.Invoke(postgres);
            return new PostgresFleetDbContext(postgres.Options);
        }

        var sqlite = new DbContextOptionsBuilder<FleetDbContext>();
        sqlite.UseFleetSqlite(ConnectionString);
        configure?.Invoke(sqlite);
        return new FleetDbContext(sqlite.Options);
    }

    public void Dispose()
    {
        if (IsPostgres)
        {
            if (_owned || _madeDatabase) DropDatabase();
        }
        else
        {
            // Pooled connections keep the file open.
            SqliteConnection.ClearAllPools();
        }

        if (!_owned) return;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a run.
        }
    }

    /// <summary>True when this object made the database (false when a server over the same folder already had).</summary>
    private bool CreateDatabase()
    {
        using var admin = new NpgsqlConnection(PostgresAdmin);
        admin.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (exists.ExecuteScalar() is not null) return false;
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", admin);
        create.ExecuteNonQuery();
        return true;
    }

    private void DropDatabase()
    {
        // The dashboard's pooled connections would keep the database in use.
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(PostgresAdmin);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }
}
