namespace FleetDashboard.Web.Tests.Data;

/// <summary>The backup command copies a SQLite file: on PostgreSQL it writes nothing and points to pg_dump.</summary>
public sealed class PostgresBackupTests : IDisposable
{
    private readonly FleetDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_backup_of_a_PostgreSQL_store_is_refused_and_names_pg_dump()
    {
        var file = Path.Combine(_folder.Path, "backup.db");

        var (exitCode, _, error) = await AppCommand.RunAsync(_folder.Path, ["backup", file], new Dictionary<string, string?>
        {
            ["Fleet__Store"] = "Postgres",
            ["ConnectionStrings__Fleet"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("Use pg_dump", error);
        Assert.False(File.Exists(file));
    }
}
