using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using FleetDashboard.Core.Selection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FleetDashboard.Web.Data;

/// <summary>
/// SQL functions the device list needs that SQLite lacks. <c>fleet_matches</c> is a case-insensitive,
/// non-backtracking regular expression: an operator's pattern runs in linear time inside the query too.
/// </summary>
public static class FleetDbFunctions
{
    public const string MatchesName = "fleet_matches";

    /// <summary>Only for queries: EF turns a call into <c>fleet_matches(input, pattern)</c>.</summary>
    public static bool Matches(string input, string pattern) =>
        throw new InvalidOperationException($"{nameof(Matches)} runs in the store only.");

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new();

    internal static bool Evaluate(string? input, string pattern)
    {
        if (Patterns.Count > 256) Patterns.Clear(); // a handful are in use at any time
        var regex = Patterns.GetOrAdd(pattern, p => new Regex(p,
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, DeviceFilter.RegexTimeout));
        return regex.IsMatch(input ?? "");
    }

    /// <summary>Adds the functions to every connection as it opens.</summary>
    internal sealed class Registration : DbConnectionInterceptor
    {
        public static readonly Registration Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Add(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Add(connection);
            return Task.CompletedTask;
        }

        private static void Add(DbConnection connection) =>
            ((SqliteConnection)connection).CreateFunction<string?, string, bool>(MatchesName, Evaluate, isDeterministic: true);
    }
}
