using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Data;

/// <summary>
/// <c>create-admin EMAIL [--organization NAME]</c>: outside Development nothing is seeded, so this makes the
/// first administrator. The password comes from <c>FLEET_ADMIN_PASSWORD</c> or one line of standard input,
/// never from the command line (it would sit in the shell history and the process list).
/// </summary>
public static class CreateAdminCommand
{
    public const string Name = "create-admin";
    public const string PasswordVariable = "FLEET_ADMIN_PASSWORD";
    public const string DefaultOrganizationName = "My organization";

    private const string Usage = "usage: create-admin EMAIL [--organization NAME]  (password from FLEET_ADMIN_PASSWORD or standard input)";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>Runs the command instead of the web server; returns the process exit code.</summary>
    public static async Task<int> RunAsync(WebApplicationBuilder builder, string[] args)
    {
        // The command's own lines are its output; the host's information logs would bury them.
        builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);

        if (!TryParse(args, out var email, out var organizationName, out var error))
        {
            await Console.Error.WriteLineAsync(error);
            return 1;
        }

        if (!TryReadPassword(email, Console.In, out var password, out error))
        {
            await Console.Error.WriteLineAsync(error);
            return 1;
        }

        await using var app = builder.Build();
        return await CreateAsync(app.Services, email, password, organizationName, Console.Out, Console.Error);
    }

    internal static bool TryParse(string[] args, out string email, out string organizationName, out string error)
    {
        email = "";
        organizationName = DefaultOrganizationName;
        error = "";
        string? givenEmail = null;

        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--organization" && i + 1 < args.Length)
            {
                organizationName = args[++i].Trim();
            }
            else if (arg.StartsWith("--organization=", StringComparison.Ordinal))
            {
                organizationName = arg["--organization=".Length..].Trim();
            }
            else if (arg.StartsWith("--password", StringComparison.OrdinalIgnoreCase))
            {
                error = $"create-admin never takes a password on the command line: set {PasswordVariable} or type it on standard input.";
                return false;
            }
            else if (!arg.StartsWith('-') && givenEmail is null)
            {
                givenEmail = arg.Trim();
            }
            else
            {
                error = $"create-admin: unexpected argument '{arg}'.\n{Usage}";
                return false;
            }
        }

        if (givenEmail is null)
        {
            error = $"create-admin: the administrator's email address is missing.\n{Usage}";
            return false;
        }

        if (!IsEmailAddress(givenEmail))
        {
            error = $"create-admin: '{givenEmail}' is not a valid email address.";
            return false;
        }

        if (Names.Problem(organizationName, "organization") is { } problem)
        {
            error = $"create-admin: {problem}";
            return false;
        }

        email = givenEmail;
        return true;
    }

    internal static bool IsEmailAddress(string value) =>
        new EmailAddressAttribute().IsValid(value)
        && MailAddress.TryCreate(value, out var address)
        && address.Address == value
        && address.Host.Contains('.');

    private static bool TryReadPassword(string email, TextReader input, out string password, out string error)
    {
        error = "";
        password = Environment.GetEnvironmentVariable(PasswordVariable) ?? "";
        if (password.Length > 0)
        {
            return true;
        }

        if (!Console.IsInputRedirected)
        {
            Console.Error.Write($"Password for {email}: ");
        }

        password = input.ReadLine() ?? "";
        if (password.Length == 0)
        {
            error = $"create-admin: no password: set {PasswordVariable} or type it as one line on standard input.";
            return false;
        }

        return true;
    }

    /// <summary>Migrates, then creates the user and its organization. Bad input changes nothing.</summary>
    internal static async Task<int> CreateAsync(
        IServiceProvider services, string email, string password, string organizationName, TextWriter output, TextWriter errorOutput)
    {
        await DatabaseStartup.MigrateAsync(services);

        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FleetUser>>();

        if (await users.FindByEmailAsync(email) is not null || await users.FindByNameAsync(email) is not null)
        {
            await errorOutput.WriteLineAsync($"create-admin: a user {email} already exists; nothing changed.");
            return 1;
        }

        var user = new FleetUser(email) { EmailConfirmed = true };
        // CreateAsync checks the password against Identity's rules before it stores anything.
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            await errorOutput.WriteLineAsync($"create-admin: {email} was not created; nothing changed.");
            foreach (var problem in created.Errors)
            {
                await errorOutput.WriteLineAsync($"  {problem.Description}");
            }

            return 1;
        }

        try
        {
            await AfterUserCreatedAsync(scope.ServiceProvider, user, organizationName);
        }
        catch
        {
            // Leave no half-made administrator behind.
            await users.DeleteAsync(user);
            throw;
        }

        await output.WriteLineAsync($"Created administrator {email} (user id {user.Id}) for organization \"{organizationName}\".");
        await output.WriteLineAsync("Sign in with that address and the password you gave.");
        return 0;
    }

    /// <summary>
    /// The organization step: the organization named <paramref name="organizationName"/> (made when missing,
    /// on the Paid plan with a valid billing account: a self-hosted fleet pays no one, and Paid allows every
    /// application type) gets <paramref name="user"/> as an Administrator.
    /// </summary>
    static async Task AfterUserCreatedAsync(IServiceProvider sp, FleetUser user, string organizationName)
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Name == organizationName);
        if (organization is null)
        {
            organization = new Organization { Name = organizationName, Plan = OrganizationPlan.Paid, BillingAccountValid = true };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync();
        }
        db.OrganizationMembers.Add(new OrganizationMember
        {
            OrganizationId = organization.Id, UserId = user.Id, Role = OrganizationRole.Administrator,
        });
        await db.SaveChangesAsync();
    }
}
