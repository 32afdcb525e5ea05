using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MudBlazor.Services;
using FleetDashboard.Web.Components;

namespace FleetDashboard.Web.Hosting;

public static class FleetHostExtensions
{
    public const string SolutionFileName = "FleetDashboard.sln";

    /// <summary>
    /// In Development, also reads the repository's root appsettings.Development.json (one place for the
    /// developer's settings); environment variables and the command line are added again after it so they
    /// still win, as they do over the project's own appsettings files.
    /// </summary>
    public static WebApplicationBuilder AddFleetConfiguration(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment()
            || FindSolutionDirectory(builder.Environment.ContentRootPath) is not { } solutionDirectory)
        {
            return builder;
        }

        var configuration = builder.Configuration;
        var commandLine = configuration.Sources.OfType<CommandLineConfigurationSource>().LastOrDefault();
        configuration.AddJsonFile(
            Path.Combine(solutionDirectory, $"appsettings.{builder.Environment.EnvironmentName}.json"),
            optional: true,
            reloadOnChange: true);
        configuration.AddEnvironmentVariables();
        if (commandLine is not null)
        {
            configuration.AddCommandLine(commandLine.Args.ToArray(), commandLine.SwitchMappings);
        }

        return builder;
    }

    /// <summary>The folder holding FleetDashboard.sln at or above <paramref name="start"/>, if any.</summary>
    public static string? FindSolutionDirectory(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>Blazor Server with MudBlazor, and static web assets in every environment.</summary>
    public static WebApplicationBuilder AddFleetWeb(this WebApplicationBuilder builder)
    {
        // Without it a built (not published) app outside Development serves _content/* and the root
        // wwwroot-assets/ files as 0 bytes or 500s (shared/RECIPES.md).
        builder.WebHost.UseStaticWebAssets();

        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        // After configuration: a Kestrel:Limits:MaxConcurrentConnections set there wins.
        builder.Services.PostConfigure<KestrelServerOptions>(kestrel => OpenFilesLimit.Apply(kestrel, OpenFilesLimit.Read()));
        return builder;
    }

    /// <summary>The request pipeline and endpoints: pages, static assets, the account endpoints.</summary>
    public static WebApplication UseFleetWeb(this WebApplication app)
    {
        app.UseFleetSecurity();
        if (app.Environment.IsDevelopment())
        {
            app.UseMigrationsEndPoint();
        }
        else
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        // Plain HTTP: TLS, if any, ends in front of the dashboard. The not-found page is for people;
        // re-executing an /api or /hubs answer would turn a 401 into an antiforgery 400. (Not UseWhen:
        // a branch loses the global router that re-execution needs, and answers an empty 404.)
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            if (FleetPaths.IsMachinePath(context.Request.Path)
                && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            return next(context);
        });

        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        return app;
    }
}
