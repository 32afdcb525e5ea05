using System.Globalization;
using System.Text.RegularExpressions;

namespace FleetDashboard.Core.Devices;

/// <summary>
/// A host OS or agent version compared as numbers, not text: 2.9.0 &lt; 2.12.0.
/// Accepts <c>2.12.7</c>, <c>v1.1.0</c>, <c>2.12</c> and a revision suffix <c>2.12.7+rev1</c>
/// (a revision orders after the plain version).
/// </summary>
public readonly partial record struct FleetVersion(int Major, int Minor, int Patch, int Revision = 0)
    : IComparable<FleetVersion>
{
    /// <summary>
    /// Host OS 2.12.0: from it on application data lives in named volumes (purge and move act on them, not
    /// on /data), and the Starter, Microservices and Essentials types need it on every device.
    /// </summary>
    public static FleetVersion NamedVolumesFrom { get; } = new(2, 12, 0);

    /// <summary>Agent 1.1.0: the first agent that carries out purge, reboot, shutdown and the update lock.</summary>
    public static FleetVersion DeviceActionsFrom { get; } = new(1, 1, 0);

    [GeneratedRegex(@"^\s*[vV]?(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?(?:\+rev(\d{1,9}))?\s*$")]
    private static partial Regex Pattern();

    /// <summary>Parses a version; an unparsable text is a clear <see cref="FleetDomainException"/>.</summary>
    public static FleetVersion Parse(string? text) =>
        TryParse(text, out var version)
            ? version
            : throw new FleetDomainException(
                $"\"{text}\" is not a version: expected numbers like 2.12.7, v1.1.0 or 2.12.7+rev1.");

    public static bool TryParse(string? text, out FleetVersion version)
    {
        version = default;
        if (text is null) return false;
        var match = Pattern().Match(text);
        if (!match.Success) return false;
        static int Number(Group group) =>
            group.Success ? int.Parse(group.Value, CultureInfo.InvariantCulture) : 0;
        version = new FleetVersion(Number(match.Groups[1]), Number(match.Groups[2]),
            Number(match.Groups[3]), Number(match.Groups[4]));
        return true;
    }

    public int CompareTo(FleetVersion other)
    {
        var byMajor = Major.CompareTo(other.Major);
        if (byMajor != 0) return byMajor;
        var byMinor = Minor.CompareTo(other.Minor);
        if (byMinor != 0) return byMinor;
        var byPatch = Patch.CompareTo(other.Patch);
        return byPatch != 0 ? byPatch : Revision.CompareTo(other.Revision);
    }

    public static bool operator <(FleetVersion a, FleetVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(FleetVersion a, FleetVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(FleetVersion a, FleetVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(FleetVersion a, FleetVersion b) => a.CompareTo(b) >= 0;

    /// <summary>A key whose text order is the version order, for sorting and range filters in a store.</summary>
    public string SortKey => $"{Major:D9}.{Minor:D9}.{Patch:D9}.{Revision:D9}";

    public override string ToString() =>
        Revision == 0 ? $"{Major}.{Minor}.{Patch}" : $"{Major}.{Minor}.{Patch}+rev{Revision}";
}
