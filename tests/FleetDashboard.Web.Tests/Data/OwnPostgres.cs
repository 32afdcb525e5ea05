using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FleetDashboard.Web.Tests.Infrastructure;

namespace FleetDashboard.Web.Tests.Data;

/// <summary>
/// A PostgreSQL server of a test's own (its own data folder and port, by deploy/local/postgres.sh), which the test may
/// stop and start under a running dashboard. The shared test server on 55432 is never stopped.
/// </summary>
public sealed class OwnPostgres : IDisposable
{
    private OwnPostgres(string data, int port) => (Data, Port) = (data, port);

    public string Data { get; }

    public int Port { get; }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    /// <summary>A fresh server on a free port, running; fsync off (a throw-away folder).</summary>
    public static OwnPostgres Start()
    {
        var server = new OwnPostgres($"/var/tmp/fleet-pg-down-{Guid.NewGuid():N}", FreePort());
        server.Up();
        return server;
    }

    public void Up() => Script("start");

    /// <summary>A fast shutdown: open connections are cut, as when the server goes away.</summary>
    public void Down() => Script("stop");

    public void Dispose()
    {
        Down();
        Directory.Delete(Data, recursive: true);
    }

    private void Script(string verb)
    {
        var start = new ProcessStartInfo(Repository.File("deploy", "local", "postgres.sh"), verb) { RedirectStandardError = true };
        start.Environment["FLEET_PG_DATA"] = Data;
        start.Environment["FLEET_PG_PORT"] = Port.ToString();
        start.Environment["FLEET_PG_FAST"] = "1";
        using var script = Process.Start(start)!;
        var errors = script.StandardError.ReadToEnd();
        script.WaitForExit();
        if (script.ExitCode != 0) throw new InvalidOperationException($"postgres.sh {verb} failed ({script.ExitCode}): {errors}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
