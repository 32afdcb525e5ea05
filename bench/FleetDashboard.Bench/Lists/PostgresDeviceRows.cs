using FleetDashboard.Core.Devices;
using Npgsql;

namespace FleetDashboard.Bench.Lists;

/// <summary>
/// <see cref="DeviceRows"/> on PostgreSQL (B6 with --store Postgres): the same copies of one device EF wrote, varied by
/// number the same way, with the same tags, in PostgreSQL's SQL; then ANALYZE, as a server that has run a while has.
/// </summary>
public static class PostgresDeviceRows
{
    public static async Task CopyAsync(NpgsqlConnection connection, int templateId, int count, DateTimeOffset now, string namePrefix,
        CancellationToken ct)
    {
        string[] hostOs = ["2.9.0", "2.12.7+rev1", "2.13.1", "2.14.0"];
        string[] agents = ["1.0.4", "1.4.2", "1.10.2"];
        var onlineWindow = DeviceStatusRules.OnlineWindow(TimeSpan.FromMinutes(10));
        var recent = $"({now.UtcTicks}::bigint - (n.i % 600)::bigint * {TimeSpan.TicksPerSecond})";
        // i % 20: 0–13 Online (connected), 14 Online by heartbeat, 15 Updating, 16 Configuring, 17–18 Offline, 19 Inactive.
        var overrides = new Dictionary<string, string>
        {
            ["Uuid"] = "md5(random()::text || n.i::text)",
            ["Name"] = $"'{namePrefix}-' || lpad(((n.i::bigint * 7919) % {count})::text, 6, '0')",
            ["DeviceType"] = "CASE n.i % 3 WHEN 0 THEN 'raspberrypi4-64' WHEN 1 THEN 'jetson-nano' ELSE 'intel-nuc' END",
            ["HostOsVersion"] = Case("n.i % 4", hostOs.Select(v => $"'{FleetVersion.Parse(v)}'")),
            ["HostOsSortKey"] = Case("n.i % 4", hostOs.Select(v => $"'{FleetVersion.Parse(v).SortKey}'")),
            ["AgentVersion"] = Case("n.i % 3", agents.Select(v => $"'{FleetVersion.Parse(v)}'")),
            ["AgentSortKey"] = Case("n.i % 3", agents.Select(v => $"'{FleetVersion.Parse(v).SortKey}'")),
            ["ReleaseCommit"] = "'rel' || (n.i % 8)::text",
            ["IpAddresses"] = "'10.' || ((n.i / 65536) % 256)::text || '.' || ((n.i / 256) % 256)::text || '.' || (n.i % 256)::text",
            ["PublicUrlEnabled"] = "n.i % 2 = 1",
            ["LastContactAt"] = $"CASE WHEN n.i % 20 IN (17, 18) THEN {now.AddDays(-2).UtcTicks}::bigint ELSE {recent} END",
            ["ConnectedAt"] = $"CASE WHEN n.i % 20 < 14 OR n.i % 20 IN (15, 16) THEN {now.AddHours(-1).UtcTicks}::bigint ELSE NULL END",
            ["DisconnectedAt"] = $"CASE WHEN n.i % 20 IN (17, 18) THEN {now.AddDays(-2).UtcTicks}::bigint ELSE NULL END",
            ["HeartbeatExpiresAt"] = $"CASE WHEN n.i % 20 IN (17, 18) THEN NULL ELSE {recent} + {onlineWindow.Ticks}::bigint END",
            ["Progress"] = "CASE n.i % 20 WHEN 15 THEN 'ApplyingRelease' WHEN 16 THEN 'UpdatingHostOs' ELSE 'Idle' END",
            ["DeactivatedAt"] = $"CASE WHEN n.i % 20 = 19 THEN {now.AddDays(-1).UtcTicks}::bigint ELSE NULL END",
            ["CredentialHash"] = "NULL",
            ["ProvisioningKeyId"] = "NULL",
        };

        var columns = new List<string>();
        await using (var info = new NpgsqlCommand(
                         "SELECT column_name FROM information_schema.columns WHERE table_name = 'Devices' AND column_name <> 'Id' ORDER BY ordinal_position",
                         connection))
        await using (var reader = await info.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) columns.Add(reader.GetString(0));

        await using var transaction = await connection.BeginTransactionAsync(ct);
        var sql =
            "CREATE TEMP TABLE copied (\"Id\" integer PRIMARY KEY);" +
            $"INSERT INTO \"Devices\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
            $"SELECT {string.Join(", ", columns.Select(c => overrides.TryGetValue(c, out var e) ? e : $"t.\"{c}\""))} " +
            $"FROM generate_series(0, {count - 1}) AS n(i), \"Devices\" t WHERE t.\"Id\" = {templateId};" +
            $"INSERT INTO copied SELECT \"Id\" FROM \"Devices\" WHERE \"Id\" > (SELECT MAX(\"Id\") FROM \"Devices\") - {count};" +
            $"DELETE FROM \"Devices\" WHERE \"Id\" = {templateId};" +
            "INSERT INTO \"DeviceTags\" (\"DeviceId\", \"Name\", \"Value\") SELECT \"Id\", 'site', " +
            "CASE \"Id\" % 5 WHEN 0 THEN 'north' WHEN 1 THEN 'South-Harbour' WHEN 2 THEN 'east' WHEN 3 THEN 'west' ELSE 'depot-' || (\"Id\" % 50)::text END " +
            "FROM copied;" +
            "INSERT INTO \"DeviceTags\" (\"DeviceId\", \"Name\", \"Value\") SELECT \"Id\", 'pilot', NULL FROM copied WHERE \"Id\" % 10 = 0;" +
            "DROP TABLE copied;";
        await using (var insert = new NpgsqlCommand(sql, connection, transaction))
            await insert.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        await using var analyze = new NpgsqlCommand("ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    private static string Case(string of, IEnumerable<string> values) =>
        $"CASE {of} {string.Join(" ", values.Select((v, i) => $"WHEN {i} THEN {v}"))} END";
}
