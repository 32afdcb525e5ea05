using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FleetDashboard.Web.Hosting;

/// <summary>
/// Keeps the server's connections under the process's open-files limit. Every connection is a file; at the
/// limit the process could open nothing else, and the dashboard died with the runtime's "Out of memory."
/// (benchmark B1, 20,000 files and 10,000 devices that each held two sockets). Kestrel closes a connection
/// over its limit at once, so a device over it backs off and tries again, and the server lives.
/// </summary>
public static class OpenFilesLimit
{
    /// <summary>Files kept for everything that is not a connection: the store, its journal, logs, assets, the runtime.</summary>
    public const int Reserve = 1_000;

    /// <summary>The soft limit on open files, from /proc/self/limits; null where there is none to read.</summary>
    public static long? Read()
    {
        try
        {
            return File.Exists("/proc/self/limits") ? Parse(File.ReadAllText("/proc/self/limits")) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The soft limit in a /proc/PID/limits text: null when it is absent or unlimited.</summary>
    public static long? Parse(string limits)
    {
        foreach (var line in limits.Split('\n'))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
            var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, out var value) ? value : null;
        }
        return null;
    }

    /// <summary>
    /// How many connections may be open under <paramref name="openFiles"/>: plain HTTP ones (page loads, API
    /// calls, and every WebSocket until it is upgraded: a quarter of the room, so a fleet reconnecting at once after
    /// a restart mostly gets in) and upgraded ones (devices' and browsers' WebSockets: the rest). Kestrel counts an
    /// upgraded connection against its own limit only, so both need one.
    /// </summary>
    public static (long Http, long Upgraded) ConnectionsUnder(long openFiles)
    {
        var room = Math.Max(openFiles - Reserve, openFiles / 2);
        var http = room / 4;
        return (http, room - http);
    }

    /// <summary>Sets Kestrel's connection limits from the open-files limit, where configuration set none.</summary>
    public static void Apply(KestrelServerOptions kestrel, long? openFiles)
    {
        if (openFiles is not { } files) return;
        var (http, upgraded) = ConnectionsUnder(files);
        kestrel.Limits.MaxConcurrentConnections ??= http;
        kestrel.Limits.MaxConcurrentUpgradedConnections ??= upgraded;
    }
}
