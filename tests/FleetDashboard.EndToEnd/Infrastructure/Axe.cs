using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>
/// axe-core run in the page as it stands. Only serious and critical violations count: those are the ones that stop
/// a person (unreadable text, an unnamed input, a control a screen reader cannot reach); minor ones are advice.
/// </summary>
public static class Axe
{
    private static readonly string[] Blocking = ["serious", "critical"];

    /// <summary>Each serious or critical violation on <paramref name="page"/>, one line a node: where, rule, target, summary.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page, string where)
    {
        await SettledAsync(page);
        AxeResult result = await page.RunAxe();
        return result.Violations
            .Where(v => Blocking.Contains(v.Impact))
            .SelectMany(v => v.Nodes.Select(n =>
                $"{where}: {v.Id} ({v.Impact}) at {n.Target}: {Summary(v, n)}"))
            .ToList();
    }

    /// <summary>Fails with every line when there is any, so that one run names them all.</summary>
    public static void AssertNone(IReadOnlyCollection<string> violations) =>
        Assert.True(violations.Count == 0,
            $"{violations.Count} serious or critical accessibility violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");

    /// <summary>
    /// A dialog or popover fading in has a translucent colour that axe would measure as low contrast: wait until no
    /// finite animation or transition is running (a progress bar's endless one does not count).
    /// </summary>
    private static Task SettledAsync(IPage page) =>
        page.WaitForFunctionAsync("""
            () => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity)
            """);

    /// <summary>What axe found wrong with the node (for contrast: the colours and the ratio), else the rule's help.</summary>
    private static string Summary(AxeResultItem rule, AxeResultNode node)
    {
        var messages = node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m)).ToList();
        return OneLine(messages.Count > 0 ? string.Join(" / ", messages) : rule.Help);
    }

    private static string OneLine(string text) => string.Join(" ", text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
}
