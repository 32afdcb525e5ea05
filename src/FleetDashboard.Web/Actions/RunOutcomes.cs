using System.Data.Common;
using System.Text.Json;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace FleetDashboard.Web.Actions;

/// <summary>
/// Appends outcomes of immediate actions where two writers may race for the same device: the delivery writing an
/// answer, and <see cref="RunDeadlines"/> closing a device whose deadline passed. The store keeps one outcome per
/// run and device (a unique index); whoever comes second is ignored rather than failing its whole batch, and only
/// what was really appended is returned, so that pages hear of each outcome once.
/// </summary>
public static class RunOutcomes
{
    /// <summary>Quoted: PostgreSQL folds unquoted names to lower case, and EF's columns are "ActionRunId".</summary>
    public const string Columns = "\"ActionRunId\", \"DeviceId\", \"DeviceUuid\", \"DeviceName\", \"Kind\", \"Reason\", \"At\"";

    /// <summary>
    /// Keeps the first outcome of each device of a run: the clause that ends every insert of outcomes that may race.
    /// SQLite wants a WHERE in the SELECT before it (even "WHERE true"), or it reads ON as part of a join.
    /// </summary>
    public const string KeepFirst = $"ON CONFLICT (\"ActionRunId\", \"DeviceId\") DO NOTHING RETURNING {Columns}";

    public static async Task<IReadOnlyList<ActionOutcome>> AppendAsync(FleetDbContext db, IReadOnlyCollection<ActionOutcome> outcomes,
        CancellationToken ct)
    {
        if (outcomes.Count == 0) return [];
        // One statement with one JSON parameter, whatever the batch's size.
        var rows = JsonSerializer.Serialize(outcomes.Select(o =>
            new object?[] { o.ActionRunId, o.DeviceId, o.DeviceUuid, o.DeviceName, o.Kind.ToString(), o.Reason, o.At.UtcTicks }));
        // PostgreSQL reads the same JSON array with jsonb_array_elements and wants its text cast to the column's type.
        var source = db is PostgresFleetDbContext
            ? """
              SELECT CAST(value ->> 0 AS bigint), CAST(value ->> 1 AS integer), value ->> 2, value ->> 3, value ->> 4, value ->> 5,
                     CAST(value ->> 6 AS bigint) FROM jsonb_array_elements(CAST(@rows AS jsonb)) AS value WHERE true
              """
            : "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6 FROM json_each(@rows) WHERE true";
        return await ReadAsync(db,
            $"""
             INSERT INTO "ActionOutcomes" ({Columns})
             {source}
             {KeepFirst}
             """, ct, ("@rows", rows));
    }

    /// <summary>Runs an insert that ends with <see cref="KeepFirst"/> and reads the outcomes it appended.</summary>
    public static async Task<IReadOnlyList<ActionOutcome>> ReadAsync(FleetDbContext db, string sql, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (name, value) in parameters) command.Parameters.Add(Parameter(command, name, value));
            var appended = new List<ActionOutcome>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                appended.Add(new ActionOutcome
                {
                    ActionRunId = reader.GetInt64(0), DeviceId = reader.GetInt32(1), DeviceUuid = reader.GetString(2),
                    DeviceName = reader.GetString(3), Kind = Enum.Parse<OutcomeKind>(reader.GetString(4)),
                    Reason = reader.IsDBNull(5) ? null : reader.GetString(5), At = new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero),
                });
            return appended;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }
}
