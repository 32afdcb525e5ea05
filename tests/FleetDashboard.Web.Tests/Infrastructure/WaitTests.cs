namespace FleetDashboard.Web.Tests.Infrastructure;

/// <summary>The shared wait helper: it waits for what it is told, and says what it waited for when it gives up.</summary>
public sealed class WaitTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_condition_that_never_holds_fails_with_what_was_awaited()
    {
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => Wait.UntilAsync(() => false, "the moon to turn blue", Short));

        Assert.Contains("the moon to turn blue", timeout.Message);
    }

    [Fact]
    public async Task An_assertion_is_tried_again_until_it_passes()
    {
        var tries = 0;

        await Wait.UntilAsync(() => Assert.True(++tries >= 3, $"only {tries} tries"), "the third try");

        Assert.Equal(3, tries);
    }

    [Fact]
    public async Task An_assertion_that_keeps_failing_is_reported_with_its_last_failure()
    {
        var tries = 0;

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            Wait.UntilAsync(() => Assert.Fail($"failure number {++tries}"), "a passing assertion", Short));

        Assert.Contains("a passing assertion", timeout.Message);
        Assert.Contains($"failure number {tries}", timeout.Message);
    }

    [Fact]
    public async Task A_task_that_does_not_complete_in_time_fails_with_what_was_awaited()
    {
        var never = new TaskCompletionSource();

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => Wait.UntilAsync(never.Task, "a task nobody completes", Short));

        Assert.Contains("a task nobody completes", timeout.Message);
    }
}
