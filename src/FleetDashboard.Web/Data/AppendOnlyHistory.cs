using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace FleetDashboard.Web.Data;

/// <summary>
/// Action runs, their outcomes and the ledger are written once and never changed or deleted. The context
/// refuses such a change before it reaches the file, and triggers in the file refuse it from anywhere else.
/// </summary>
internal static class AppendOnlyHistory
{
    public static readonly string[] Tables = ["ActionRuns", "ActionOutcomes", "Ledger"];

    public static void Guard(ChangeTracker changes)
    {
        foreach (var entry in changes.Entries())
        {
            if (entry.State is not (EntityState.Modified or EntityState.Deleted)) continue;
            if (entry.Entity is ActionRun or ActionOutcome or LedgerEntry)
                throw new InvalidOperationException(
                    $"{entry.Metadata.ClrType.Name} is history: it can be added to, never changed or deleted.");
        }
    }

    /// <summary>The SQL that makes the tables append-only in the file itself (run by a migration).</summary>
    public static IEnumerable<string> TriggersSql() => Tables.SelectMany(table => new[]
    {
        $"CREATE TRIGGER IF NOT EXISTS {table}_NoUpdate BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only history'); END;",
        $"CREATE TRIGGER IF NOT EXISTS {table}_NoDelete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only history'); END;",
    });
}
