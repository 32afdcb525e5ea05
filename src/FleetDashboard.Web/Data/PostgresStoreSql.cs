namespace FleetDashboard.Web.Data;

/// <summary>
/// What the PostgreSQL store needs beyond EF's tables and indexes (the device list's indexes are in the model, so
/// they come with the migration): the append-only history and the regex filter, as SQLite's migrations have them.
/// </summary>
internal static class PostgresStoreSql
{
    /// <summary>
    /// <c>fleet_matches(input, pattern)</c>, so that the device list's queries read the same on both stores. SQLite
    /// calls .NET's non-backtracking Regex; here it is PostgreSQL's own <c>~*</c> (case-insensitive), whose dialect
    /// (Tcl's "advanced regular expressions") differs: the filter checks a pattern with .NET first, and a pattern
    /// .NET takes that PostgreSQL does not (named groups <c>(?&lt;name&gt;…)</c>, .NET-only classes such as
    /// <c>\p{L}</c>, inline options other than at the start) fails the query instead of matching nothing; <c>\d</c>,
    /// <c>\w</c>, <c>\s</c>, anchors, classes, alternation and counted repeats mean the same. PostgreSQL's engine
    /// also bounds its own work, and a query can be cancelled.
    /// </summary>
    public const string MatchesFunction =
        """
        CREATE OR REPLACE FUNCTION fleet_matches(input text, pattern text) RETURNS boolean
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT coalesce(input, '') ~* pattern $$;
        """;

    public const string RefuseFunction =
        """
        CREATE OR REPLACE FUNCTION fleet_refuse_history_change() RETURNS trigger LANGUAGE plpgsql
        AS $$ BEGIN RAISE EXCEPTION '% is append-only history', TG_TABLE_NAME; END $$;
        """;

    /// <summary>Triggers that refuse UPDATE and DELETE on the history tables (<see cref="AppendOnlyHistory"/>), from anywhere.</summary>
    public static IEnumerable<string> TriggersSql() => AppendOnlyHistory.Tables.SelectMany(table => new[]
    {
        $"""CREATE TRIGGER "{table}_NoUpdate" BEFORE UPDATE ON "{table}" FOR EACH ROW EXECUTE FUNCTION fleet_refuse_history_change();""",
        $"""CREATE TRIGGER "{table}_NoDelete" BEFORE DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION fleet_refuse_history_change();""",
    });

    public static void Up(Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder migration)
    {
        migration.Sql(MatchesFunction);
        migration.Sql(RefuseFunction);
        foreach (var sql in TriggersSql()) migration.Sql(sql);
    }

    public static void Down(Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder migration)
    {
        foreach (var table in AppendOnlyHistory.Tables)
        {
            migration.Sql($"""DROP TRIGGER IF EXISTS "{table}_NoUpdate" ON "{table}";""");
            migration.Sql($"""DROP TRIGGER IF EXISTS "{table}_NoDelete" ON "{table}";""");
        }
        migration.Sql("DROP FUNCTION IF EXISTS fleet_refuse_history_change();");
        migration.Sql("DROP FUNCTION IF EXISTS fleet_matches(text, text);");
    }
}
