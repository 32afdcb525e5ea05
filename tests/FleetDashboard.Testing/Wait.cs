using System.Diagnostics;

namespace FleetDashboard.Testing;

/// <summary>
/// Waits for something to become true, never for a fixed time: it looks again every few milliseconds until a
/// deadline, then fails with what it waited for and, for an assertion, the last way it failed. The default deadline
/// is generous because two cores are shared by several builds and test runs: a slow machine must not fail a test.
/// </summary>
public static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Until <paramref name="condition"/> holds. An exception from it is not waited out: it fails at once.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null,
        CancellationToken ct = default) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout, interval, ct);

    /// <inheritdoc cref="UntilAsync(Func{bool}, string, TimeSpan?, TimeSpan?, CancellationToken)"/>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null,
        CancellationToken ct = default)
    {
        var limit = timeout ?? DefaultTimeout;
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > limit) throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; it never held.");
            await Task.Delay(interval ?? DefaultInterval, ct);
        }
    }

    /// <summary>Until <paramref name="assertion"/> passes: whatever it throws means "not yet", and the last one is reported.</summary>
    public static Task UntilAsync(Action assertion, string what, TimeSpan? timeout = null, TimeSpan? interval = null,
        CancellationToken ct = default) =>
        UntilAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, what, timeout, interval, ct);

    /// <inheritdoc cref="UntilAsync(Action, string, TimeSpan?, TimeSpan?, CancellationToken)"/>
    public static async Task UntilAsync(Func<Task> assertion, string what, TimeSpan? timeout = null, TimeSpan? interval = null,
        CancellationToken ct = default)
    {
        var limit = timeout ?? DefaultTimeout;
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (elapsed.Elapsed > limit)
                    throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; the last failure: {failure.Message}", failure);
            }
            await Task.Delay(interval ?? DefaultInterval, ct);
        }
    }

    /// <summary>Until <paramref name="task"/> completes; its own failure, if it fails in time, is passed on as it is.</summary>
    public static async Task UntilAsync(Task task, string what, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            await task.WaitAsync(limit, ct);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; it never happened.");
        }
    }
}
