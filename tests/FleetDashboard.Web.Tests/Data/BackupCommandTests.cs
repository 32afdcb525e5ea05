using System.Net;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Data;

/// <summary>The backup command as an operator runs it: the app's own dll, outside Development, beside a server that writes.</summary>
// SQLite by nature: the backup command copies a SQLite file (on PostgreSQL it refuses and names pg_dump).
[Trait("Store", "SqliteOnly")]
public sealed class BackupCommandTests : IAsyncLifetime
{
    private readonly FleetServer _server = new();
    private readonly FleetDataFolder _backups = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _backups.Dispose();
    }

    private Task<AppCommand.Result> BackupAsync(string file) =>
        AppCommand.RunAsync(_backups.Path, ["backup", file], new Dictionary<string, string?> { ["ConnectionStrings__Fleet"] = _server.ConnectionString });

    private async Task<int> OrganizationsAsync() => await _server.QueryAsync(db => db.Organizations.CountAsync());

    [Fact]
    public async Task A_backup_taken_while_the_store_is_written_is_a_store_the_server_starts_on()
    {
        _ = _server.BaseAddress;
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var db = await _server.DbAsync();
                db.Organizations.Add(new Organization { Name = $"written {written}", Plan = OrganizationPlan.Free });
                await db.SaveChangesAsync();
                Interlocked.Increment(ref written);
            }
        });
        await Wait.UntilAsync(() => Volatile.Read(ref written) >= 20, "the writer to be under way");
        var before = Volatile.Read(ref written);

        var (exitCode, output, error) = await BackupAsync(_backups.DatabasePath);

        var during = Volatile.Read(ref written);
        await stop.CancelAsync();
        await writing;
        Assert.True(exitCode == 0, error);
        Assert.Contains("integrity ok", output);
        Assert.True(during > before, "the store was written while the backup ran");
        Assert.Equal(written, await OrganizationsAsync());

        // The restore: the backup becomes a data folder's fleet.db, and a server starts on it, ready.
        await using var restored = FleetServer.Create(new FleetServerOptions { Environment = "Production", DataDirectory = _backups.Path });
        using var http = new HttpClient { BaseAddress = restored.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("readyz")).StatusCode);
        var kept = await restored.QueryAsync(db => db.Organizations.CountAsync());
        Assert.InRange(kept, before, during);
    }

    [Fact]
    public async Task Never_overwrites_a_file_and_never_creates_a_store()
    {
        await File.WriteAllTextAsync(_backups.DatabasePath, "an older backup");
        _ = _server.BaseAddress;

        var (exitCode, _, error) = await BackupAsync(_backups.DatabasePath);

        Assert.Equal(1, exitCode);
        Assert.Contains("exists; nothing written", error);
        Assert.Equal("an older backup", await File.ReadAllTextAsync(_backups.DatabasePath));

        var missing = Path.Combine(_backups.Path, "missing.db");
        var copy = Path.Combine(_backups.Path, "copy.db");
        Assert.Equal(1, await BackupCommand.BackupAsync($"Data Source={missing}", copy, TextWriter.Null, TextWriter.Null));
        Assert.False(File.Exists(missing));
        Assert.False(File.Exists(copy));
    }
}
