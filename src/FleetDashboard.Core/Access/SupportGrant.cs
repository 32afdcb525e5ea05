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

    public bool InForceAt(DateTimeOffset now) => RevokedAt is null && now < Until;

    /// <summary>Why a grant from <paramref name="now"/> to <paramref name="until"/> is not allowed, or null.</summary>
    public static string? PeriodProblem(DateTimeOffset now, DateTimeOffset until)
    {
        var period = until - now;
        if (period < ShortestPeriod) return "Support access lasts at least 1 hour.";
        if (period > LongestPeriod) return "Support access lasts at most 30 days.";
        return null;
    }
}
