namespace FleetDashboard.Core.Access;

/// <summary>Lets support staff see one device or one application until a set instant, unless revoked first.</summary>
public sealed class SupportGrant
{
    public static readonly TimeSpan ShortestPeriod = TimeSpan.FromHours(1);
    public static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(30);

    public int Id { get; set; }
    public int? ApplicationId { get; set; }
    public int? DeviceId { get; set; }
    public required string GrantedBy { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
    public DateTimeOffset Until { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>"2 days", "5 hours": how the history and the dialogs name a period.</summary>
    public static string Describe(TimeSpan period) =>
        period.Ticks % TimeSpan.TicksPerDay == 0 && period.TotalDays >= 1 ? Count((int)period.TotalDays, "day")
        : period.Ticks % TimeSpan.TicksPerHour == 0 && period.TotalHours >= 1 ? Count((int)period.TotalHours, "hour")
        : period.ToString();

    private static string Count(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";

    public bool InForceAt(DateTimeOffset now) => RevokedAt is null && now < Until;

    /// <summary>Why a grant for <paramref name="period"/> is not allowed, or null.</summary>
    public static string? PeriodProblem(TimeSpan period)
    {
        if (period < ShortestPeriod) return "Support access lasts at least 1 hour.";
        if (period > LongestPeriod) return "Support access lasts at most 30 days.";
        return null;
    }
}
