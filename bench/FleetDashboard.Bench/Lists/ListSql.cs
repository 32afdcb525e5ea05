using System.Data.Common;
using System.Text.RegularExpressions;
using FleetDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FleetDashboard.Bench.Lists;

/// <summary>
/// B6's ceiling on one store: hand-written statements, written once in SQLite's dialect, sent as they are to SQLite and,
/// on PostgreSQL, with the tables and columns quoted (PostgreSQL folds unquoted names to lower case), TRUE for SQLite's 1
/// and a view's own filter where the dialects differ (regex, substring).
/// </summary>
internal sealed partial class ListSql
{
    private ListSql(string kind, string connectionString)
    {
        Kind = kind;
        ConnectionString = connectionString;
    }

    public string Kind { get; }

    public string ConnectionString { get; }

    public bool IsPostgres => Kind == FleetStores.Postgres;

    public static ListSql Sqlite(string connectionString) => new(FleetStores.Sqlite, connectionString);

    public static ListSql Postgres(string connectionString) => new(FleetStores.Postgres, connectionString);

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public string Where(DeviceListBenchmark.View view) => IsPostgres ? view.PostgresWhere ?? (view.Where == "1" ? "TRUE" : view.Where) : view.Where;

    /// <summary>A statement with @app and @now (ticks, as both stores keep times).</summary>
    /// <summary>The devices, joined where the view's SQL starts from an index's rows (tags; SQLite's search index).</summary>
    public string From(DeviceListBenchmark.View view) =>
        string.Join(" ", new[] { "Devices d", view.Join, IsPostgres ? null : view.SqliteJoin }.Where(j => j is not null));

    /// <summary>
    /// The application's devices; "+ 0" where SQLite's search index narrows them, as the device list does, so that
    /// SQLite starts from the devices found rather than from the application's index.
    /// </summary>
    public string OfApplication(DeviceListBenchmark.View view) =>
        !IsPostgres && view.SqliteJoin is not null ? "d.ApplicationId + 0 = @app" : "d.ApplicationId = @app";

    public DbCommand Command(DbConnection connection, int app, DateTimeOffset now, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = IsPostgres ? Quoted(sql) : sql;
        Add(command, "@app", app);
        Add(command, "@now", now.UtcTicks);
        return command;
    }

    /// <summary>The plan, one line: SQLite's EXPLAIN QUERY PLAN steps, or PostgreSQL's scans and sorts.</summary>
    public async Task<string> PlanAsync(DbConnection connection, int app, DateTimeOffset now, string sql, CancellationToken ct)
    {
        await using var explain = Command(connection, app, now, (IsPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql);
        var steps = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!IsPostgres) steps.Add(reader.GetString(3));
            else if (reader.GetString(0) is var line && (line.Contains("Scan") || line.Contains("Sort"))) steps.Add(line.Trim().Split("  (")[0]);
        }
        return string.Join(" / ", steps);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string Quoted(string sql) =>
        Tables().Replace(Columns().Replace(sql, "$1.\"$2\""), "\"$1\"");

    /// <summary>d.Name, t.Value: an alias and a column named as EF names it (capitalised).</summary>
    [GeneratedRegex(@"\b([dt])\.([A-Z]\w*)")]
    private static partial Regex Columns();

    [GeneratedRegex(@"\b(Devices|DeviceTags)\b")]
    private static partial Regex Tables();
}
