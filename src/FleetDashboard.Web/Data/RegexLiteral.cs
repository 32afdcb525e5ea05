using System.Text;

namespace FleetDashboard.Web.Data;

/// <summary>What every match of an operator's pattern contains, for narrowing a regex filter through DeviceSearch.</summary>
public static class RegexLiteral
{
    /// <summary>
    /// The longest run of plain characters that every match of <paramref name="pattern"/> contains, or null when there
    /// is none or the pattern is beyond this reading (alternation, "(?" constructs, an optional group, an escape that
    /// names a class). Null only loses the narrowing, never a device: the pattern itself still decides.
    /// </summary>
    public static string? Required(string pattern)
    {
        if (pattern.Contains('|') || pattern.Contains("(?")) return null;
        var runs = new List<string>();
        var run = new StringBuilder();
        void Cut()
        {
            if (run.Length > 0) runs.Add(run.ToString());
            run.Clear();
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\' when i + 1 < pattern.Length && !char.IsLetterOrDigit(pattern[i + 1]):
                    run.Append(pattern[++i]); // an escaped symbol stands for itself: \. \$ \(
                    break;
                case '\\' when i + 1 < pattern.Length && pattern[i + 1] is 'd' or 'D' or 'w' or 'W' or 's' or 'S' or 'b' or 'B':
                    Cut();
                    i++;
                    break;
                case '\\':
                    return null; // \p{..}, \x41, \u0041, \1, \k<..>, a trailing backslash: not read here
                case '[':
                    Cut();
                    i = ClassEnd(pattern, i);
                    if (i < 0) return null;
                    break;
                case '*' or '?' or '{':
                    // The atom before may be absent (or, for {n,m}, is not read here): a group there makes it all unknown.
                    if (i > 0 && pattern[i - 1] == ')' && !Escaped(pattern, i - 1)) return null;
                    if (run.Length > 0) run.Length--;
                    Cut();
                    if (c == '{' && (i = pattern.IndexOf('}', i)) < 0) return null;
                    break;
                case '+' or '.' or '^' or '$' or '(' or ')':
                    Cut();
                    break;
                default:
                    run.Append(c);
                    break;
            }
        }
        Cut();
        return runs.Count == 0 ? null : runs.MaxBy(r => r.Length);
    }

    private static bool Escaped(string pattern, int at)
    {
        var backslashes = 0;
        while (at - 1 - backslashes >= 0 && pattern[at - 1 - backslashes] == '\\') backslashes++;
        return backslashes % 2 == 1;
    }

    /// <summary>The index of the ']' that closes the class opened at <paramref name="open"/>, or -1.</summary>
    private static int ClassEnd(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] == '^') i++;
        if (i < pattern.Length && pattern[i] == ']') i++; // a ']' first is a member
        for (; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\') i++;
            else if (pattern[i] == '[') return -1; // subtraction [a-z-[aeiou]]: not read here
            else if (pattern[i] == ']') return i;
        }
        return -1;
    }
}
