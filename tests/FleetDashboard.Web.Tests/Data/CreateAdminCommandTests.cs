using FleetDashboard.Web.Data;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace FleetDashboard.Web.Tests.Data;

/// <summary>The command as an operator runs it: the app's own dll in a process of its own, outside Development.</summary>
// SQLite by nature: opens the store's file read-only and checks that a refused command made no file.
[Trait("Store", "SqliteOnly")]
public sealed class CreateAdminCommandTests : IDisposable
{
    private const string Password = "Admin-password-2026";
    private readonly FleetDataFolder _data = new();

    private string DatabasePath => _data.DatabasePath;

    private Task<AppCommand.Result> RunCommandAsync(string[] arguments, string? passwordVariable, string? standardInput = null) =>
        AppCommand.RunAsync(_data.Path, arguments, new Dictionary<string, string?>
        {
            ["Fleet__DataDirectory"] = _data.Path,
            ["ConnectionStrings__Fleet"] = null,
            [CreateAdminCommand.PasswordVariable] = passwordVariable,
        }, standardInput);

    private List<(string Email, string DisplayName, string PasswordHash)> Users()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Email, DisplayName, PasswordHash FROM AspNetUsers";
        using var reader = command.ExecuteReader();
        var users = new List<(string, string, string)>();
        while (reader.Read())
        {
            users.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return users;
    }

    private static bool PasswordMatches(string hash, string password) =>
        new PasswordHasher<FleetUser>().VerifyHashedPassword(new FleetUser(), hash, password) != PasswordVerificationResult.Failed;

    [Fact]
    public async Task Creates_the_first_administrator_with_the_password_from_the_environment_and_exits()
    {
        var run = await RunCommandAsync(["create-admin", "first@acme.test", "--organization", "Acme"], passwordVariable: Password);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Created administrator first@acme.test", run.Output);
        Assert.Contains("Acme", run.Output);
        Assert.DoesNotContain("Now listening", run.Output);
        var user = Assert.Single(Users());
        Assert.Equal("first@acme.test", user.Email);
        Assert.Equal("first@acme.test", user.DisplayName);
        Assert.True(PasswordMatches(user.PasswordHash, Password));
        Assert.Equal([("Acme", "Administrator")], Query(
            "SELECT o.Name, m.Role FROM OrganizationMembers m JOIN Organizations o ON o.Id = m.OrganizationId"));
    }

    private List<(string, string)> Query(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetValue(1).ToString()!));
        return rows;
    }

    [Fact]
    public async Task Reads_the_password_from_standard_input_when_the_variable_is_not_set()
    {
        var run = await RunCommandAsync(["create-admin", "typed@acme.test"], passwordVariable: null, standardInput: Password);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains(CreateAdminCommand.DefaultOrganizationName, run.Output);
        Assert.True(PasswordMatches(Assert.Single(Users()).PasswordHash, Password));
    }

    [Fact]
    public async Task Refuses_an_invalid_email_and_changes_nothing()
    {
        var run = await RunCommandAsync(["create-admin", "not-an-email"], passwordVariable: Password);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not a valid email address", run.Error);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task Refuses_a_password_on_the_command_line()
    {
        var run = await RunCommandAsync(["create-admin", "first@acme.test", "--password", Password], passwordVariable: null);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(CreateAdminCommand.PasswordVariable, run.Error);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task Refuses_a_weak_password_and_creates_no_user()
    {
        var run = await RunCommandAsync(["create-admin", "first@acme.test"], passwordVariable: "short");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nothing changed", run.Error);
        Assert.Contains("at least 8 characters", run.Error);
        Assert.Empty(Users());
    }

    [Fact]
    public async Task Refuses_an_existing_user_and_keeps_its_password()
    {
        var first = await RunCommandAsync(["create-admin", "first@acme.test"], passwordVariable: Password);
        Assert.True(first.ExitCode == 0, first.Error);

        var again = await RunCommandAsync(["create-admin", "first@acme.test"], passwordVariable: "Another-password-2026");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error);
        Assert.True(PasswordMatches(Assert.Single(Users()).PasswordHash, Password));
    }

    public void Dispose() => _data.Dispose();
}
