using System.Globalization;

namespace FleetDashboard.Web.Components.Shared;

/// <summary>"just now", "2 min ago", "3 h ago", "5 days ago"; the exact time goes in a tooltip.</summary>
public static class RelativeTime
{
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        if (age < TimeSpan.FromSeconds(45)) return "just now";
        if (age < TimeSpan.FromMinutes(59.5)) return $"{Math.Max(1, (int)Math.Round(age.TotalMinutes))} min ago";
        if (age < TimeSpan.FromHours(23.5)) return $"{(int)Math.Round(age.TotalHours)} h ago";
        var days = (int)Math.Round(age.TotalDays);
        if (days < 60) return days == 1 ? "1 day ago" : $"{days} days ago";
        return at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
    }

    public static string Exact(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
