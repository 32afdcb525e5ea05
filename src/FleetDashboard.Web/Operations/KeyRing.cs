using FleetDashboard.Web.Data;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Operations;

/// <summary>
/// The keys that seal sign-in cookies, antiforgery tokens and Identity's links, kept in the data folder's
/// <c>keys/</c>: ASP.NET Core's default, the user's home folder, is not kept by a container and not writable under
/// systemd's ProtectHome, and keys that die with the process sign everyone out at each restart.
/// </summary>
public static class KeyRing
{
    public const string FolderName = "keys";

    public static IServiceCollection AddFleetKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection();
        // Read when the options are built, as the store's path is: a test host's settings are in by then.
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Folder(provider)), provider.GetRequiredService<ILoggerFactory>())));
        return services;
    }

    public static string Folder(IServiceProvider provider) => Path.Combine(
        FleetDataExtensions.ResolveDataDirectory(provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IHostEnvironment>()),
        FolderName);
}
