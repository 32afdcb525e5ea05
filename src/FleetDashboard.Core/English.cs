namespace FleetDashboard.Core;

/// <summary>
/// The plural and article rules every message follows, written once: "1 device", "21 devices",
/// "an Essentials application". Pages and the core both say counts through here.
/// </summary>
public static class English
{
    /// <summary>"1 device", "0 devices", "10,000 devices".</summary>
    public static string Count(int count, string noun, string? plural = null) =>
        $"{count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} {(count == 1 ? noun : plural ?? Plural(noun))}";

    /// <summary>"device" → "devices", "entry" → "entries", "match" → "matches".</summary>
    public static string Plural(string noun) => noun switch
    {
        _ when noun.EndsWith('y') && noun.Length > 1 && !"aeiou".Contains(noun[^2]) => noun[..^1] + "ies",
        _ when noun.EndsWith('s') || noun.EndsWith("sh") || noun.EndsWith("ch") || noun.EndsWith('x') => noun + "es",
        _ => noun + "s",
    };

    /// <summary>"a Starter", "an Essentials", "an organization": by the first letter's sound, as near as a rule gets.</summary>
    public static string A(string word) =>
        $"{(word.Length > 0 && "aeiouAEIOU".Contains(word[0]) ? "an" : "a")} {word}";
}
