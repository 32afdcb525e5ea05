namespace FleetDashboard.Core.Applications;

/// <summary>The rules for the names people give to applications and devices.</summary>
public static class Names
{
    public const int MaxLength = 100;

    /// <summary>Why <paramref name="name"/> cannot name a <paramref name="what"/>, or null when it can.</summary>
    public static string? Problem(string? name, string what)
    {
        var a = "aeiou".Contains(what[0]) ? "An" : "A";
        if (string.IsNullOrWhiteSpace(name)) return $"{a} {what} name cannot be empty.";
        if (name.Trim() != name) return $"{a} {what} name cannot start or end with spaces.";
        if (name.Length > MaxLength) return $"{a} {what} name has at most {MaxLength} characters.";
        if (name.Any(char.IsControl)) return $"{a} {what} name cannot hold control characters.";
        return null;
    }

    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
