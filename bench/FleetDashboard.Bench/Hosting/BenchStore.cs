using FleetDashboard.Testing;
using FleetDashboard.Web.Data;
using Npgsql;

namespace FleetDashboard.Bench.Hosting;

/// <summary>
/// Where a benchmark's servers keep the fleet: each server's own SQLite file (the default), or one PostgreSQL database
/// made for this run on the shared server (`deploy/local/postgres.sh start`), shared by every node given it and dropped
/// when the run is over. The bench owns the database, not a server: a node killed and started again finds it there.
/// </summary>
public sealed class BenchStore : IAsyncDisposable
{
    private BenchStore(string kind, string? database)
    {
        Kind = kind;
        Database = database;
    }

    public string Kind { get; }

    public string? Database { get; }

    public bool IsPostgres => Database is not null;

    /// <summary>
    /// Store connections per node, as docs/scale-out.md asks of a cluster: three nodes at Npgsql's default 100 fill the
    /// server's 300 and a restart storm of devices then waits on the pool (B8 missed its minute by that alone).
    /// </summary>
    private const int NodePool = 30;

    public string? ConnectionString => Database is null ? null : new NpgsqlConnectionStringBuilder(FleetDataFolder.PostgresAdmin) { Database = Database, MaxPoolSize = NodePool }.ToString();

    public static BenchStore Sqlite() => new(FleetStores.Sqlite, null);

    public static async Task<BenchStore> PostgresAsync(CancellationToken ct)
    {
        var name = $"fleet_bench_{Guid.NewGuid():N}";
        await using var admin = await OpenAdminAsync(ct);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await create.ExecuteNonQueryAsync(ct);
        return new BenchStore(FleetStores.Postgres, name);
    }

    /// <summary>What a server is given (as `--set key=value`) to use this store; nothing for its own SQLite file.</summary>
    public IReadOnlyDictionary<string, string> Settings => Database is null
        ? new Dictionary<string, string>()
        : new Dictionary<string, string> { [FleetStores.StoreKey] = FleetStores.Postgres, ["ConnectionStrings:Fleet"] = ConnectionString! };

    /// <summary>
    /// After every node died at once: nobody is connected any more. One node forgets its connections when it starts, but
    /// one of several nodes cannot (the others' devices are recorded beside them), so the bench says it for the dead set.
    /// </summary>
    public async Task ForgetConnectionsAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var forget = new NpgsqlCommand("UPDATE \"Devices\" SET \"ConnectedAt\" = NULL WHERE \"ConnectedAt\" IS NOT NULL", connection);
        await forget.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (Database is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenAdminAsync(CancellationToken.None);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync(CancellationToken ct)
    {
        var admin = new NpgsqlConnection(FleetDataFolder.PostgresAdmin);
        try
        {
            await admin.OpenAsync(ct);
        }
        catch (NpgsqlException e)
        {
            await admin.DisposeAsync();
            throw new InvalidOperationException($"No PostgreSQL at {FleetDataFolder.PostgresAdmin}: start it with deploy/local/postgres.sh start. {e.Message}", e);
        }
        return admin;
    }
}
