namespace FleetDashboard.Core.Devices;

/// <summary>A name → optional value label on a device.</summary>
public sealed class DeviceTag
{
    public required string Name { get; set; }
    public string? Value { get; set; }
}

public static class TagRules
{
    /// <summary>Names under this prefix are the fleet's own.</summary>
    public const string ReservedPrefix = "io.fleet";
    public const int MaxNameLength = 100;
    public const int MaxValueLength = 1000;

    /// <summary>Why a tag cannot be set, or null when it can.</summary>
    public static string? Problem(string? name, string? value)
    {
        if (string.IsNullOrEmpty(name)) return "A tag name cannot be empty.";
        if (name.Any(char.IsWhiteSpace)) return $"A tag name cannot hold spaces: \"{name}\".";
        if (name.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
            return $"Tag names starting with \"{ReservedPrefix}\" are reserved.";
        if (name.Length > MaxNameLength) return $"A tag name has at most {MaxNameLength} characters.";
        if (value is { Length: > MaxValueLength }) return $"A tag value has at most {MaxValueLength} characters.";
        return null;
    }
}
