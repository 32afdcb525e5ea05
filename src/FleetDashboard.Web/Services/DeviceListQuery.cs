using System.Linq.Expressions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Services;

/// <summary>
/// The device list's filters and sorts as SQL: the same meaning as <see cref="DeviceFilter.Matches"/> and
/// <see cref="DeviceStatusRules.StatusAt"/>, so that a page never loads more than its rows.
/// </summary>
internal static class DeviceListQuery
{
    /// <summary>An application's devices that every filter lists.</summary>
    public static IQueryable<Device> Listed(this FleetDbContext db, int applicationId, IEnumerable<DeviceFilter> filters, DateTimeOffset now)
    {
        var searched = filters.Select(f => (Filter: f, Search: Search(db, f))).ToList();
        // Where the search index narrows, SQLite must start from it. Without statistics it would rather start from the
        // application's index and check every device against the search's ids (100,000 at 100,000 devices; a
        // million at a million); "+ 0" takes that index out of its choice, so it seeks only the devices found.
        var devices = searched.Any(s => s.Search is not null)
            ? db.Devices.AsNoTracking().Where(d => d.ApplicationId + 0 == applicationId)
            : db.Devices.AsNoTracking().Where(d => d.ApplicationId == applicationId);
        return searched.Aggregate(devices, (query, s) => s.Filter.Column == DeviceColumn.Tag
            ? query.Join(TagRows(db, applicationId, s.Filter), d => d.Id, t => EF.Property<int>(t, DeviceTagRows.DeviceId), (d, _) => d)
            : Narrowed(query, db, s.Search).Where(Predicate(s.Filter, now)));
    }

    /// <summary>
    /// The devices joined to what an index already knows of a filter: the tag rows a tag filter lists (they are the
    /// filter), the device ids DeviceSearch finds for a substring or for a regex's required literal (the filter's own
    /// predicate still decides). Joined, not "EXISTS" or "IN" per device: SQLite then starts from those rows and seeks
    /// each device, where otherwise it would read every device of the application first.
    /// </summary>
    private static IQueryable<Device> Narrowed(IQueryable<Device> query, FleetDbContext db, (string Column, string Text)? search) =>
        search is var (column, text) ? query.Join(DeviceSearch.Containing(db, column, text), d => d.Id, hit => hit.Id, (d, _) => d) : query;

    /// <summary>The search index's column and the text every listed device holds in it, when the index can narrow the filter.</summary>
    private static (string Column, string Text)? Search(FleetDbContext db, DeviceFilter filter)
    {
        var text = filter.Operator switch
        {
            FilterOperator.Contains => filter.Value,
            FilterOperator.MatchesRegex => RegexLiteral.Required(filter.Value),
            _ => null,
        };
        return DeviceSearch.IndexedColumn(db, filter.Column) is { } column && !string.IsNullOrEmpty(text) ? (column, text) : null;
    }

    public static IOrderedQueryable<Device> Sorted(this IQueryable<Device> devices, DeviceSort sort, bool descending, DateTimeOffset now)
    {
        IOrderedQueryable<Device> By<TKey>(Expression<Func<Device, TKey>> key) =>
            descending ? devices.OrderByDescending(key) : devices.OrderBy(key);
        var ordered = sort switch
        {
            DeviceSort.Status => By(StatusRank(now)),
            DeviceSort.Uuid => By(d => d.Uuid),
            DeviceSort.DeviceType => By(d => d.DeviceType),
            DeviceSort.HostOs => By(d => d.HostOsSortKey),
            DeviceSort.Agent => By(d => d.AgentSortKey),
            DeviceSort.Release => By(d => d.ReleaseCommit),
            DeviceSort.LastSeen => By(d => d.LastContactAt),
            DeviceSort.IpAddress => By(d => d.IpAddresses),
            _ => By(d => d.Name),
        };
        return ordered.ThenBy(d => d.Id);
    }

    /// <summary>
    /// The ids of one page of <paramref name="listed"/> by one tag's value, ignoring case: first the devices with the tag, in
    /// the order of IX_DeviceTags_Application_Name_Value (value, then device id: SQLite walks the index and stops
    /// at the page's end, where a tie-break by name would have it sort every tagged device), then those without it,
    /// by name, in either direction: an empty cell has nothing to sort by.
    /// </summary>
    public static async Task<List<int>> PageByTagAsync(this IQueryable<Device> listed, FleetDbContext db, int applicationId,
        string tagName, bool descending, int skip, int take, CancellationToken ct)
    {
        var tagged = listed.Join(db.DeviceTags.Named(applicationId, tagName), d => d.Id, t => EF.Property<int>(t, DeviceTagRows.DeviceId),
            (d, t) => new { Device = d, Key = t.Value!.ToLower(), Id = EF.Property<int>(t, DeviceTagRows.DeviceId) });
        var ordered = descending ? tagged.OrderByDescending(x => x.Key).ThenByDescending(x => x.Id) : tagged.OrderBy(x => x.Key).ThenBy(x => x.Id);
        var page = await ordered.Skip(skip).Take(take).Select(x => x.Id).ToListAsync(ct);
        if (page.Count == take) return page;

        // Past the tagged devices: how many there are is known from this page unless it is beyond them all.
        var taggedCount = page.Count > 0 || skip == 0 ? skip + page.Count : await tagged.CountAsync(ct);
        var untagged = listed.Where(d => !d.Tags.Any(t => t.Name == tagName));
        page.AddRange(await untagged.OrderBy(d => d.Name).ThenBy(d => d.Id).Select(d => d.Id)
            .Skip(Math.Max(0, skip - taggedCount)).Take(take - page.Count).ToListAsync(ct));
        return page;
    }

    /// <summary>How many devices of each application have each status, counted in the store.</summary>
    public static async Task<Dictionary<int, IReadOnlyDictionary<DeviceStatus, int>>> StatusCountsAsync(
        this IQueryable<Device> devices, DateTimeOffset now, CancellationToken ct)
    {
        // d => new StatusCell { ApplicationId = d.ApplicationId, Rank = <the status rank of d> }
        var rank = StatusRank(now);
        var device = rank.Parameters[0];
        var cell = Expression.Lambda<Func<Device, StatusCell>>(Expression.MemberInit(Expression.New(typeof(StatusCell)),
            Expression.Bind(typeof(StatusCell).GetProperty(nameof(StatusCell.ApplicationId))!, Expression.Property(device, nameof(Device.ApplicationId))),
            Expression.Bind(typeof(StatusCell).GetProperty(nameof(StatusCell.Rank))!, rank.Body)), device);

        var rows = await devices.Where(d => d.ApplicationId != null).Select(cell)
            .GroupBy(c => new { c.ApplicationId, c.Rank })
            .Select(g => new { g.Key.ApplicationId, g.Key.Rank, Count = g.Count() })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.ApplicationId!.Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<DeviceStatus, int>)g.ToDictionary(r => (DeviceStatus)r.Rank, r => r.Count));
    }

    private sealed class StatusCell
    {
        public int? ApplicationId { get; init; }
        public int Rank { get; init; }
    }

    /// <summary>The status as a number in the order of <see cref="DeviceStatus"/>, decided in the store.</summary>
    private static Expression<Func<Device, int>> StatusRank(DateTimeOffset now) => d =>
        d.DeactivatedAt != null ? (int)DeviceStatus.Inactive
        : d.FirstConnectedAt == null ? (int)DeviceStatus.PostProvisioning
        : d.ConnectedAt != null || d.HeartbeatExpiresAt > now
            ? d.Progress == DeviceProgress.ApplyingRelease ? (int)DeviceStatus.Updating
            : d.Progress == DeviceProgress.UpdatingHostOs ? (int)DeviceStatus.Configuring
            : (int)DeviceStatus.Online
        : (int)DeviceStatus.Offline;

    /// <summary>
    /// One status as plain conditions on its columns, not as <see cref="StatusRank"/> = n: SQLite can seek
    /// IX_Devices_ApplicationId_Status on "DeactivatedAt IS NULL AND FirstConnectedAt IS NOT NULL", where a CASE
    /// gives it nothing to seek on and it would read every device of the application row by row to count them.
    /// </summary>
    private static Expression<Func<Device, bool>> IsStatus(DeviceStatus status, DateTimeOffset now)
    {
        const DeviceProgress applying = DeviceProgress.ApplyingRelease, updatingOs = DeviceProgress.UpdatingHostOs;
        return status switch
        {
            DeviceStatus.Inactive => d => d.DeactivatedAt != null,
            DeviceStatus.PostProvisioning => d => d.DeactivatedAt == null && d.FirstConnectedAt == null,
            DeviceStatus.Offline => d => d.DeactivatedAt == null && d.FirstConnectedAt != null
                && d.ConnectedAt == null && (d.HeartbeatExpiresAt == null || d.HeartbeatExpiresAt <= now),
            DeviceStatus.Updating => d => d.DeactivatedAt == null && d.FirstConnectedAt != null
                && (d.ConnectedAt != null || d.HeartbeatExpiresAt > now) && d.Progress == applying,
            DeviceStatus.Configuring => d => d.DeactivatedAt == null && d.FirstConnectedAt != null
                && (d.ConnectedAt != null || d.HeartbeatExpiresAt > now) && d.Progress == updatingOs,
            DeviceStatus.Online => d => d.DeactivatedAt == null && d.FirstConnectedAt != null
                && (d.ConnectedAt != null || d.HeartbeatExpiresAt > now) && d.Progress != applying && d.Progress != updatingOs,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };
    }

    private static Expression<Func<Device, bool>> Predicate(DeviceFilter filter, DateTimeOffset now)
    {
        switch (filter.Column)
        {
            case DeviceColumn.Status:
                return IsStatus(filter.Status!.Value, now);
            case DeviceColumn.PublicUrl:
                var on = filter.On!.Value;
                return d => d.PublicUrlEnabled == on;
            case DeviceColumn.HostOs:
                return Version(d => d.HostOsSortKey, filter);
            case DeviceColumn.Agent:
                return Version(d => d.AgentSortKey, filter);
            case DeviceColumn.LastSeen:
                var instant = filter.Instant!.Value;
                return d => d.LastContactAt < instant;
            case DeviceColumn.Tag:
                throw new ArgumentException("A tag filter is a join to the tag rows (Listed), not a predicate.", nameof(filter));
            default:
                return Compose(TextOf(filter.Column), Text(filter));
        }
    }

    /// <summary>
    /// The tag rows a tag filter lists. "Is" compares lower(Value), the expression IX_DeviceTags_Application_Name_Value
    /// holds; an empty value lists every device with the tag, whatever its value.
    /// </summary>
    private static IQueryable<DeviceTag> TagRows(FleetDbContext db, int applicationId, DeviceFilter filter)
    {
        var named = db.DeviceTags.Named(applicationId, filter.TagName!);
        if (filter.Value.Length == 0) return named;
        if (filter.Operator == FilterOperator.Is)
        {
            var value = filter.Value.ToLower();
            return named.Where(t => t.Value != null && t.Value.ToLower() == value);
        }
        return named.Where(Compose<DeviceTag, string, bool>(t => t.Value ?? "", Text(filter)));
    }

    private static Expression<Func<Device, string>> TextOf(DeviceColumn column) => column switch
    {
        DeviceColumn.Uuid => d => d.Uuid,
        DeviceColumn.DeviceType => d => d.DeviceType,
        DeviceColumn.Release => d => d.ReleaseCommit ?? "",
        DeviceColumn.IpAddress => d => d.IpAddresses,
        _ => d => d.Name,
    };

    /// <summary>"is" and "contains" ignore case, as in the core; "matches regex" runs in the store's own function.</summary>
    private static Expression<Func<string, bool>> Text(DeviceFilter filter)
    {
        var value = filter.Value.ToLower();
        var pattern = filter.Value;
        return filter.Operator switch
        {
            FilterOperator.Is => text => text.ToLower() == value,
            FilterOperator.Contains => text => text.ToLower().Contains(value),
            _ => text => FleetDbFunctions.Matches(text, pattern),
        };
    }

    private static Expression<Func<Device, bool>> Version(Expression<Func<Device, string>> key, DeviceFilter filter)
    {
        var sortKey = filter.Version!.Value.SortKey;
        return filter.Operator == FilterOperator.IsBefore
            ? Compose(key, k => string.Compare(k, sortKey) < 0)
            : Compose(key, k => k == sortKey);
    }

    /// <summary>f(g(x)) as one expression the store can translate.</summary>
    private static Expression<Func<TIn, TOut>> Compose<TIn, TMid, TOut>(Expression<Func<TIn, TMid>> inner, Expression<Func<TMid, TOut>> outer)
    {
        var body = new Replace(outer.Parameters[0], inner.Body).Visit(outer.Body);
        return Expression.Lambda<Func<TIn, TOut>>(body, inner.Parameters);
    }

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
