using System.Globalization;
using FleetDashboard.Web.Components.Shared;

namespace FleetDashboard.Web.Components.Pages.Wall;

/// <summary>How a wall words times and numbers: to the second while a change is fresh, then as everywhere else.</summary>
public static class WallTime
{
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        if (age < TimeSpan.FromSeconds(1)) return "just now";
        return age < TimeSpan.FromMinutes(1) ? $"{(int)age.TotalSeconds} s ago" : RelativeTime.Ago(at, now);
    }

    public static string Number(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
