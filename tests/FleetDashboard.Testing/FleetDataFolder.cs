using Microsoft.Data.Sqlite;

namespace FleetDashboard.Testing;

/// <summary>
/// The folder a test's dashboard keeps on disk (its SQLite file and anything else): a fresh one under the temp folder,
/// deleted on dispose; or a given one, which outlives this object (a server restarted over the same file).
/// </summary>
public sealed class FleetDataFolder : IDisposable
{
    private readonly bool _owned;

    public FleetDataFolder(string? path = null)
    {
        _owned = path is null;
        Path = path ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fleet-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string DatabasePath => System.IO.Path.Combine(Path, "fleet.db");

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = DatabasePath }.ToString();

    public void Dispose()
    {
        // Pooled connections keep the file open.
        SqliteConnection.ClearAllPools();
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
}
