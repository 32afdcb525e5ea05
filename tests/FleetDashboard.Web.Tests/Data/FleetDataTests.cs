using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FleetDashboard.Web.Tests.Data;

public class FleetDataTests(FleetServer server) : IClassFixture<FleetServer>
{
    [Fact]
    public async Task The_factory_and_the_scoped_context_both_use_the_configured_file()
    {
        _ = server.BaseAddress;
        await using var scope = server.Services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        await using var fromFactory = await factory.CreateDbContextAsync();
        var scoped = scope.ServiceProvider.GetRequiredService<FleetDbContext>();

        Assert.NotSame(fromFactory, scoped);
        Assert.Same(scoped, scope.ServiceProvider.GetRequiredService<FleetDbContext>());
        Assert.Equal(server.ConnectionString, fromFactory.Database.GetConnectionString());
        Assert.Equal(server.ConnectionString, scoped.Database.GetConnectionString());
    }

    [Fact]
    [Trait("Store", "SqliteOnly")] // SQLite's journal mode
    public async Task Migrations_are_applied_at_start_and_the_file_is_in_WAL_mode()
    {
        _ = server.BaseAddress;
        var factory = server.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        await using var db = await factory.CreateDbContextAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        var journalMode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync();
        Assert.Equal("wal", journalMode);
    }

    [Fact]
    public async Task A_user_without_a_display_name_is_refused()
    {
        _ = server.BaseAddress;
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FleetUser>>();

        var result = await users.CreateAsync(new FleetUser { UserName = "nameless@acme.test", Email = "nameless@acme.test" }, "Nameless-password-1");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, error => error.Code == "DisplayNameRequired");
    }

    [Fact]
    public void The_display_name_defaults_to_the_email_address()
    {
        Assert.Equal("ada@acme.test", new FleetUser("ada@acme.test").DisplayName);
        Assert.Equal("Ada", new FleetUser("ada@acme.test", " Ada ").DisplayName);
    }

    [Fact]
    public void Without_a_connection_string_the_database_is_fleet_db_in_the_data_folder()
    {
        var dataDirectory = Path.Combine(server.DataDirectory, "default-data");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [FleetDataExtensions.DataDirectoryKey] = dataDirectory })
            .Build();
        var environment = new TestEnvironment(server.DataDirectory);

        var connectionString = FleetDataExtensions.ResolveConnectionString(configuration, environment);

        Assert.Equal($"Data Source={Path.Combine(dataDirectory, "fleet.db")}", connectionString);
        Assert.True(Directory.Exists(dataDirectory));
    }

    [Fact]
    public void The_data_folder_defaults_to_data_under_the_content_root()
    {
        var contentRoot = Path.Combine(server.DataDirectory, "content-root");
        var environment = new TestEnvironment(contentRoot);

        var directory = FleetDataExtensions.ResolveDataDirectory(new ConfigurationBuilder().Build(), environment);

        Assert.Equal(Path.Combine(contentRoot, "data"), directory);
        Assert.True(Directory.Exists(directory));
    }

    private sealed class TestEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "FleetDashboard.Web";
        public string ContentRootPath { get; set; } = contentRoot;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
