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
    public static IQueryable<Device> Filtered(this IQueryable<Device> devices, IEnumerable<DeviceFilter> filters, DateTimeOffset now) =>
        filters.Aggregate(devices, (query, filter) => query.Where(Predicate(filter, now)));

    public static IOrderedQueryable<Device> Sorted(this IQueryable<Device> devices, DeviceSort sort, bool descending, DateTimeOffset now,
        string? tagName = null)
    {
        if (sort == DeviceSort.Tag && tagName is not null) return ByTag(devices, tagName, descending);
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
    /// By one tag's value, as text; devices without the tag come last in either direction (an empty cell has
    /// nothing to sort by), and devices with the same value keep the order of their names.
    /// </summary>
    private static IOrderedQueryable<Device> ByTag(IQueryable<Device> devices, string tagName, bool descending)
    {
        var tagged = devices.OrderBy(d => d.Tags.Any(t => t.Name == tagName) ? 0 : 1);
        Expression<Func<Device, string?>> value = d => d.Tags.Where(t => t.Name == tagName).Select(t => t.Value).FirstOrDefault();
        return (descending ? tagged.ThenByDescending(value) : tagged.ThenBy(value)).ThenBy(d => d.Name).ThenBy(d => d.Id);
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
                var name = filter.TagName!;
                if (filter.Value.Length == 0) return d => d.Tags.Any(t => t.Name == name);
                Expression<Func<DeviceTag, bool>> named = t => t.Name == name;
                var valued = Compose<DeviceTag, string, bool>(t => t.Value ?? "", Text(filter));
                var tag = Expression.Lambda<Func<DeviceTag, bool>>(
                    Expression.AndAlso(named.Body, new Replace(valued.Parameters[0], named.Parameters[0]).Visit(valued.Body)),
                    named.Parameters);
                return d => d.Tags.AsQueryable().Any(tag);
            default:
                return Compose(TextOf(filter.Column), Text(filter));
        }
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
