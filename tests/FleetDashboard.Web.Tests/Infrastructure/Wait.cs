using System.Diagnostics;

namespace FleetDashboard.Web.Tests.Infrastructure;

/// <summary>Waits for a condition, never for a fixed time: it looks again every few milliseconds until a deadline.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            if (deadline.Elapsed > limit) throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for: {what}");
            await Task.Delay(20);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>The task, or a clear failure when it does not complete in time.</summary>
    public static async Task ForAsync(Task task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        if (await Task.WhenAny(task, Task.Delay(limit)) != task) throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for: {what}");
        await task;
    }
}
