using System.Globalization;
using System.Text.RegularExpressions;

namespace FleetDashboard.Agent.Simulation;

/// <summary>
/// A host OS or agent version as the device reads it: numbers, not text (2.9.0 &lt; 2.12.0), with an
/// optional <c>v</c> prefix and <c>+revN</c> suffix (a revision orders after the plain version).
/// The agent keeps its own small parser rather than borrowing the dashboard's domain: a device knows
/// nothing of the dashboard.
/// </summary>
public readonly partial record struct DeviceVersion(int Major, int Minor, int Patch, int Revision = 0)
    : IComparable<DeviceVersion>
{
    /// <summary>From this host OS on, application data lives in named volumes (purge and move act on them).</summary>
    public static DeviceVersion NamedVolumes { get; } = new(2, 12, 0);

    /// <summary>The first agent that understands purge, reboot, shutdown and the update lock.</summary>
    public static DeviceVersion DeviceActions { get; } = new(1, 1, 0);

    [GeneratedRegex(@"^\s*[vV]?(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?(?:\+rev(\d{1,9}))?\s*$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out DeviceVersion version)
    {
        version = default;
        var match = text is null ? null : Pattern().Match(text);
        if (match is not { Success: true }) return false;
        static int Number(Group group) => group.Success ? int.Parse(group.Value, CultureInfo.InvariantCulture) : 0;
        version = new DeviceVersion(Number(match.Groups[1]), Number(match.Groups[2]),
            Number(match.Groups[3]), Number(match.Groups[4]));
        return true;
    }

    public static DeviceVersion Parse(string text) =>
        TryParse(text, out var version)
            ? version
            : throw new FormatException($"\"{text}\" is not a version: expected numbers like 2.12.7, v1.1.0 or 2.12.7+rev1.");

    public int CompareTo(DeviceVersion other)
    {
        var order = Major.CompareTo(other.Major);
        if (order == 0) order = Minor.CompareTo(other.Minor);
        if (order == 0) order = Patch.CompareTo(other.Patch);
        return order != 0 ? order : Revision.CompareTo(other.Revision);
    }

    public static bool operator <(DeviceVersion a, DeviceVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(DeviceVersion a, DeviceVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(DeviceVersion a, DeviceVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(DeviceVersion a, DeviceVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() =>
        Revision == 0 ? $"{Major}.{Minor}.{Patch}" : $"{Major}.{Minor}.{Patch}+rev{Revision}";
}
