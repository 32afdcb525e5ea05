namespace FleetDashboard.Agent.Tests;

/// <summary>Waits for a condition (never for a fixed time): checks it often, fails with the reason after a timeout.</summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        using var expired = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (expired.IsCancellationRequested) Assert.Fail($"Waited in vain for: {what}");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    public static async Task Within(this Task task, string what, TimeSpan? timeout = null)
    {
        try
        {
            await task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Waited in vain for: {what}");
        }
    }
}
