using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Tests.Operations;

/// <summary>
/// The dashboard as deployed (Production) over a store folder a test can take away and give back, with /metrics
/// allowed only to a network the tests are not on.
/// </summary>
public sealed class MovableStoreServer() : FleetServer(new FleetServerOptions
{
    Environment = "Production",
    DataDirectory = Path.Combine(Path.GetTempPath(), "fleet-tests", Guid.NewGuid().ToString("N"), "store"),
    Settings = new Dictionary<string, string?> { ["Fleet:Metrics:AllowedNetworks"] = "10.0.0.0/8" },
})
{
    public string AwayDirectory => DataDirectory + "-away";

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(AwayDirectory)) Directory.Move(AwayDirectory, DataDirectory);
        Directory.Delete(Path.GetDirectoryName(DataDirectory)!, recursive: true);
    }
}

public sealed class HealthTests(MovableStoreServer server) : IClassFixture<MovableStoreServer>
{
    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Alive_and_ready_on_a_migrated_store()
    {
        Assert.Equal((HttpStatusCode.OK, "Healthy\n"), await GetAsync("healthz"));
        Assert.Equal((HttpStatusCode.OK, "Healthy\nstore: store reachable, migrations applied\n"), await GetAsync("readyz"));
    }

    [Fact]
    [Trait("Store", "SqliteOnly")] // the store's file is taken away
    public async Task Not_ready_while_the_store_is_unreachable_yet_alive_all_the_same()
    {
        _ = server.BaseAddress;
        Directory.Move(server.DataDirectory, server.AwayDirectory);
        try
        {
            var (status, body) = await GetAsync("readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.StartsWith("Unhealthy\nstore: store unreachable: ", body);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("healthz")).Status);
            Assert.False(Directory.Exists(server.DataDirectory), "the readiness check created no store of its own");
        }
        finally
        {
            Directory.Move(server.AwayDirectory, server.DataDirectory);
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("readyz")).Status);
    }

    [Fact]
    public async Task Not_ready_while_a_migration_this_build_knows_is_not_applied_to_the_store()
    {
        await using var db = await server.DbAsync();
        var last = db.Database.GetMigrations().Last();
        var productVersion = await db.Database
            .SqlQuery<string>($"SELECT \"ProductVersion\" AS \"Value\" FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {last}").SingleAsync();
        await db.Database.ExecuteSqlAsync($"DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {last}");
        try
        {
            var (status, body) = await GetAsync("readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal($"Unhealthy\nstore: 1 migration(s) not applied to the store: {last}\n", body);
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ({last}, {productVersion})");
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("readyz")).Status);
    }

    [Fact]
    public async Task Metrics_are_no_page_at_all_for_an_address_outside_the_allowed_networks()
    {
        var (status, body) = await GetAsync("metrics");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain("fleet_", body);
    }

    [Fact]
    public void Production_logs_to_the_console_as_JSON_with_scopes()
    {
        _ = server.BaseAddress;
        Assert.Equal(ConsoleFormatterNames.Json, server.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.True(server.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
    }
}
