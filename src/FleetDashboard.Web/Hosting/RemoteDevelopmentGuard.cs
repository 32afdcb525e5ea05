using System.Net;

namespace FleetDashboard.Web.Hosting;

/// <summary>
/// Development seeds demo accounts whose password, and a provisioning key, are printed in the README: served to the
/// network, anyone who reads it could sign in as an administrator or register devices. So Development listens on this
/// machine only, unless started with <c>--allow-remote-dev</c>.
/// </summary>
public static class RemoteDevelopmentGuard
{
    public const string AllowFlag = "--allow-remote-dev";

    /// <summary>The arguments without the flag (the configuration's command line would read it as a key), and whether it was given.</summary>
    public static (string[] Args, bool AllowRemote) Read(string[] args) =>
        (args.Where(a => a != AllowFlag).ToArray(), args.Contains(AllowFlag));

    /// <summary>The one line that says why the dashboard refuses to start, or null when it may.</summary>
    public static string? Refusal(bool isDevelopment, bool allowRemote, IEnumerable<string> addresses)
    {
        if (!isDevelopment || allowRemote) return null;
        var remote = addresses.FirstOrDefault(address => !IsLoopback(address));
        return remote is null ? null
            : $"Refusing to serve Development on {remote}: its demo accounts' password and provisioning key are public " +
              $"(README, appsettings.Development.json). Use a loopback address such as http://127.0.0.1:5000, or add {AllowFlag} if you mean it.";
    }

    public static string? Refusal(WebApplicationBuilder builder, bool allowRemote) =>
        Refusal(builder.Environment.IsDevelopment(), allowRemote, ConfiguredAddresses(builder.Configuration));

    /// <summary>
    /// Where the host will listen, as configured (<c>urls</c>, <c>http_ports</c>/<c>https_ports</c>, Kestrel endpoints);
    /// the launch profile and <c>--urls</c> both arrive as <c>urls</c>. Ports alone mean every interface.
    /// </summary>
    public static IEnumerable<string> ConfiguredAddresses(IConfiguration configuration)
    {
        foreach (var url in Split(configuration["urls"])) yield return url;
        foreach (var port in Split(configuration["http_ports"]).Concat(Split(configuration["https_ports"])))
            yield return $"http://*:{port}";
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            if (endpoint["Url"] is { } url) yield return url;
    }

    public static bool IsLoopback(string address)
    {
        // "http://+:80" and "http://*:80" are not valid URIs, and both mean every interface.
        var rest = address.Contains("://", StringComparison.Ordinal) ? address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..] : address;
        if (rest.StartsWith('+') || rest.StartsWith('*')) return false;
        if (!Uri.TryCreate(address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address, UriKind.Absolute, out var uri)) return false;
        if (uri.IsLoopback) return true;
        var host = uri.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    private static string[] Split(string? value) =>
        value?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
