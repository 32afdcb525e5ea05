using FleetDashboard.Core.Devices;
using Microsoft.Data.Sqlite;

namespace FleetDashboard.Bench.Lists;

/// <summary>
/// Many device rows at once: copies of one device EF wrote (so every column holds what EF would write), varied by
/// number in SQL, with a "site" tag on every device and a valueless "pilot" tag on one in ten. 100,000 take seconds.
/// </summary>
public static class DeviceRows
{
    public static async Task CopyAsync(SqliteConnection connection, int templateId, int count, DateTimeOffset now, string namePrefix,
        bool keepTemplate, CancellationToken ct)
    {
        string[] hostOs = ["2.9.0", "2.12.7+rev1", "2.13.1", "2.14.0"];
        string[] agents = ["1.0.4", "1.4.2", "1.10.2"];
        var onlineWindow = DeviceStatusRules.OnlineWindow(TimeSpan.FromMinutes(10));
        var recent = $"{now.UtcTicks} - (n.i % 600) * {TimeSpan.TicksPerSecond}";
        // i % 20: 0–13 Online (connected), 14 Online by heartbeat, 15 Updating, 16 Configuring, 17–18 Offline, 19 Inactive.
        var overrides = new Dictionary<string, string>
        {
            ["Uuid"] = "lower(hex(randomblob(16)))",
            // Names in another order than ids, so that sorting by name is not reading in insertion order.
            ["Name"] = $"'{namePrefix}-' || printf('%06d', (n.i * 7919) % {count})",
            ["DeviceType"] = "CASE n.i % 3 WHEN 0 THEN 'raspberrypi4-64' WHEN 1 THEN 'jetson-nano' ELSE 'intel-nuc' END",
            ["HostOsVersion"] = Case("n.i % 4", hostOs.Select(v => $"'{FleetVersion.Parse(v)}'")),
            ["HostOsSortKey"] = Case("n.i % 4", hostOs.Select(v => $"'{FleetVersion.Parse(v).SortKey}'")),
            ["AgentVersion"] = Case("n.i % 3", agents.Select(v => $"'{FleetVersion.Parse(v)}'")),
            ["AgentSortKey"] = Case("n.i % 3", agents.Select(v => $"'{FleetVersion.Parse(v).SortKey}'")),
            ["ReleaseCommit"] = "'rel' || (n.i % 8)",
            ["IpAddresses"] = "'10.' || ((n.i / 65536) % 256) || '.' || ((n.i / 256) % 256) || '.' || (n.i % 256)",
            ["PublicUrlEnabled"] = "n.i % 2",
            ["LastContactAt"] = $"CASE WHEN n.i % 20 IN (17, 18) THEN {now.AddDays(-2).UtcTicks} ELSE {recent} END",
            ["ConnectedAt"] = $"CASE WHEN n.i % 20 < 14 OR n.i % 20 IN (15, 16) THEN {now.AddHours(-1).UtcTicks} ELSE NULL END",
            ["DisconnectedAt"] = $"CASE WHEN n.i % 20 IN (17, 18) THEN {now.AddDays(-2).UtcTicks} ELSE NULL END",
            ["HeartbeatExpiresAt"] = $"CASE WHEN n.i % 20 IN (17, 18) THEN NULL ELSE {recent} + {onlineWindow.Ticks} END",
            ["Progress"] = "CASE n.i % 20 WHEN 15 THEN 'ApplyingRelease' WHEN 16 THEN 'UpdatingHostOs' ELSE 'Idle' END",
            ["DeactivatedAt"] = $"CASE WHEN n.i % 20 = 19 THEN {now.AddDays(-1).UtcTicks} ELSE NULL END",
            ["CredentialHash"] = "NULL",
            ["ProvisioningKeyId"] = "NULL",
        };

        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('Devices') WHERE name <> 'Id'";
            await using var reader = await info.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) columns.Add(reader.GetString(0));
        }
        await using var transaction = connection.BeginTransaction();
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText =
                "CREATE TEMP TABLE Copied (Id INTEGER PRIMARY KEY);" +
                $"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {count}) " +
                $"INSERT INTO Devices ({string.Join(", ", columns)}) " +
                $"SELECT {string.Join(", ", columns.Select(c => overrides.TryGetValue(c, out var e) ? e : $"t.{c}"))} " +
                $"FROM n, Devices t WHERE t.Id = {templateId};" +
                $"INSERT INTO Copied SELECT Id FROM Devices WHERE Id > (SELECT MAX(Id) FROM Devices) - {count};" +
                (keepTemplate ? "" : $"DELETE FROM Devices WHERE Id = {templateId};") +
                "INSERT INTO DeviceTags (DeviceId, Name, Value) SELECT Id, 'site', " +
                "CASE Id % 5 WHEN 0 THEN 'north' WHEN 1 THEN 'South-Harbour' WHEN 2 THEN 'east' WHEN 3 THEN 'west' ELSE 'depot-' || (Id % 50) END " +
                "FROM Copied;" +
                "INSERT INTO DeviceTags (DeviceId, Name, Value) SELECT Id, 'pilot', NULL FROM Copied WHERE Id % 10 = 0;" +
                "DROP TABLE Copied;";
            await insert.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    private static string Case(string of, IEnumerable<string> values) =>
        $"CASE {of} {string.Join(" ", values.Select((v, i) => $"WHEN {i} THEN {v}"))} END";
}
