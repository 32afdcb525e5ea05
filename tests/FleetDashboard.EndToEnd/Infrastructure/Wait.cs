using System.Diagnostics;

namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>Waits for a condition on the server's side, never for a fixed time: it looks again every few milliseconds.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan limit)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > limit) throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}.");
            await Task.Delay(50);
        }
    }
}
