using System.Globalization;

namespace FleetDashboard.Web.Components.Pages.Wall;

/// <summary>How a wall words times and numbers: short, and precise to the second while it is fresh.</summary>
public static class WallTime
{
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        if (age < TimeSpan.FromSeconds(1)) return "just now";
        if (age < TimeSpan.FromMinutes(1)) return $"{(int)age.TotalSeconds} s ago";
        if (age < TimeSpan.FromHours(1)) return $"{(int)age.TotalMinutes} min ago";
        if (age < TimeSpan.FromDays(1)) return $"{(int)age.TotalHours} h ago";
        var days = (int)age.TotalDays;
        return days == 1 ? "1 day ago" : $"{days} days ago";
    }

    public static string Number(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
