using Microsoft.Data.Sqlite;

namespace FleetDashboard.Web.Data;

/// <summary>
/// <c>backup FILE</c>: a consistent copy of the store through SQLite's online backup API, taken while the server runs
/// and writes (copying fleet.db with cp can catch a page half-written, and misses what still sits in fleet.db-wal).
/// The copy is one self-contained file, checked before it takes its name.
/// </summary>
public static class BackupCommand
{
    public const string Name = "backup";

    private const string Usage = "usage: backup FILE  (a new file: an existing one is never overwritten)";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>Runs the command instead of the web server; returns the process exit code.</summary>
    public static async Task<int> RunAsync(WebApplicationBuilder builder, string[] args)
    {
        // The command's own lines are its output.
        builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);
        if (args.Length != 2 || args[1].StartsWith('-'))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 1;
        }

        await using var app = builder.Build();
        if (FleetStores.IsPostgres(app.Configuration))
        {
            // The server's own tool takes a consistent copy of a live PostgreSQL database; this command copies a SQLite file.
            await Console.Error.WriteLineAsync(
                "backup: Fleet:Store is Postgres; this command backs up the SQLite store only. Use pg_dump (for example "
                + "pg_dump --format=custom --file=FILE DATABASE) on the PostgreSQL server; nothing written.");
            return 1;
        }

        var store = FleetDataExtensions.ResolveConnectionString(app.Configuration, app.Environment);
        return await BackupAsync(store, Path.GetFullPath(args[1]), Console.Out, Console.Error);
    }

    internal static async Task<int> BackupAsync(string storeConnectionString, string destination, TextWriter output, TextWriter errorOutput)
    {
        // Never pooled (the files are closed when this returns), and never creating: a missing store is an error, not an empty backup.
        var store = new SqliteConnectionStringBuilder(storeConnectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite };
        if (!File.Exists(store.DataSource))
        {
            await errorOutput.WriteLineAsync($"backup: there is no store at {store.DataSource}; nothing written.");
            return 1;
        }

        if (File.Exists(destination))
        {
            await errorOutput.WriteLineAsync($"backup: {destination} exists; nothing written.");
            return 1;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        // Written under another name first: a backup cut short never carries the name of a good one.
        var partial = destination + ".partial";
        File.Delete(partial);
        string integrity;
        await using (var source = new SqliteConnection(store.ToString()))
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
        {
            await source.OpenAsync();
            await copy.OpenAsync();
            // One step, under one read transaction: in WAL mode the server's writers go on meanwhile, and the copy is
            // the store as it was when the step began.
            source.BackupDatabase(copy);
            // The copy keeps the store's WAL mode; a rollback journal makes it one file to move around. The server
            // switches it back to WAL when it starts on it.
            await ExecuteAsync(copy, "PRAGMA journal_mode=DELETE;");
            integrity = await ExecuteAsync(copy, "PRAGMA integrity_check;");
        }

        if (integrity != "ok")
        {
            File.Delete(partial);
            await errorOutput.WriteLineAsync($"backup: the copy failed its integrity check ({integrity}); nothing kept.");
            return 1;
        }

        File.Move(partial, destination);
        await output.WriteLineAsync($"Backed up {store.DataSource} to {destination} ({new FileInfo(destination).Length} bytes, integrity ok).");
        return 0;
    }

    private static async Task<string> ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}
