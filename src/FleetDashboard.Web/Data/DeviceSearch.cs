using System.Runtime.CompilerServices;
using FleetDashboard.Core.Selection;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Data;

/// <summary>
/// SQLite's full-text index of the device list's text columns (migration DeviceSearch): an FTS5 table with the trigram
/// tokenizer, kept in step with Devices by triggers, whose row id is the device's. It answers "contains" without
/// reading every device, and narrows "matches regex" by a literal part of the pattern first.
/// </summary>
/// <remarks>
/// Each text is indexed with two U+0001 after it, so that every substring of one or two characters starts a trigram
/// (a trigram index cannot look up fewer than three characters): "contains 42" is then any trigram that begins with
/// "42", read from the index's vocabulary (DeviceSearchTerms). The table keeps no copy of the text (content=''): a
/// match is certain for three characters and more (consecutive trigrams), and so is one through the vocabulary.
/// </remarks>
public static class DeviceSearch
{
    /// <summary>The indexed column of a list column, or null where the list has none (PostgreSQL, or not text).</summary>
    public static string? IndexedColumn(FleetDbContext db, DeviceColumn column) => db is PostgresFleetDbContext ? null : column switch
    {
        DeviceColumn.Name => "Name",
        DeviceColumn.Uuid => "Uuid",
        DeviceColumn.DeviceType => "DeviceType",
        DeviceColumn.Release => "ReleaseCommit",
        DeviceColumn.IpAddress => "IpAddresses",
        _ => null,
    };

    /// <summary>
    /// The ids of the devices (of any application) whose <paramref name="column"/> contains <paramref name="text"/>,
    /// ignoring case. "LIMIT -1" keeps SQLite from folding the match into the outer join, where it would otherwise
    /// look each device up in the index one by one instead of reading the index once.
    /// </summary>
    public static IQueryable<DeviceSearchHit> Containing(FleetDbContext db, string column, string text)
    {
        var lower = text.ToLowerInvariant();
        var hits = db.Set<DeviceSearchHit>();
        if (lower.Length >= 3)
            return hits.FromSql(FormattableStringFactory.Create(
                "SELECT rowid FROM DeviceSearch WHERE DeviceSearch MATCH {0} LIMIT -1", $"{column} : {Phrase(lower)}"));
        return hits.FromSql(FormattableStringFactory.Create(
            "SELECT rowid FROM DeviceSearch WHERE DeviceSearch MATCH (" +
            // Any term of the column that begins with the text; none at all matches nothing ("\u0001\u0001\u0001" is no term).
            $"SELECT '{column} : (' || coalesce(group_concat('\"' || replace(term, '\"', '\"\"') || '\"', ' OR '), '\"' || char(1, 1, 1) || '\"') || ')' " +
            $"FROM (SELECT term FROM DeviceSearchTerms WHERE col = '{column}' AND term >= {{0}} AND term < {{0}} || char(1114111)))" +
            " LIMIT -1", lower));
    }

    private static string Phrase(string text) => $"\"{text.Replace("\"", "\"\"")}\"";
}

/// <summary>
/// A device DeviceSearch found, by id. An entity with a key (not a bare list of ids) because the devices it is joined to
/// bring their tags along, and EF must know each joined row apart to put the tags back on the right device.
/// </summary>
public sealed class DeviceSearchHit
{
    public int Id { get; init; }
}
