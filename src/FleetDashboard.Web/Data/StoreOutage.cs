using Microsoft.Data.Sqlite;
using Npgsql;

namespace FleetDashboard.Web.Data;

/// <summary>
/// The store cannot be reached (its server stopped, its connection broken, its file gone): a condition that passes,
/// said plainly to people and devices, unlike a bug. Told apart from the rest by the provider's own exceptions.
/// </summary>
public static class StoreOutage
{
    /// <summary>What a page says while its data cannot be read.</summary>
    public const string PageMessage = "The fleet's database cannot be reached; retrying.";

    /// <summary>What a device hears when its message could not be stored: it sends it again (the agent does).</summary>
    public const string DeviceMessage = "The fleet's database cannot be reached; nothing was stored. Send it again later.";

    /// <summary>What a person hears when a confirmed action could not be recorded.</summary>
    public const string ActionMessage = "The fleet's database cannot be reached; the action was not recorded and nothing was sent to any device. Try again when it is back.";

    public static bool Is(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            switch (error)
            {
                // SQLSTATE class 08 is "connection exception", 57P "operator intervention" (the server shutting down).
                case PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                                                     || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal):
                    return true;
                // Npgsql calls transient what a socket, a timeout or a broken stream caused: the server is not there.
                case NpgsqlException { IsTransient: true }:
                    return true;
                // SQLITE_CANTOPEN and SQLITE_IOERR: the file went away or its disk fails.
                case SqliteException { SqliteErrorCode: 14 or 10 }:
                    return true;
            }
        }
        return false;
    }
}
