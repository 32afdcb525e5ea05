namespace FleetDashboard.Web.Actions;

/// <summary>
/// Closes overdue deliveries at start-up (what a crashed process left open) and every few seconds after. On a
/// graceful stop it lets the deliveries in flight finish for a moment, then closes the rest as interrupted.
/// </summary>
public sealed class RunDeadlineWatch(RunDeadlines deadlines, RunDelivery delivery, TimeProvider clock, ILogger<RunDeadlineWatch> logger)
    : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    /// <summary>Short: the host's whole shutdown has 30 s, and a device that has not answered by now rarely will.</summary>
    public static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                await deadlines.CloseOverdueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A busy or briefly unwritable file: the next tick tries again.
                logger.LogWarning(e, "Closing overdue action deliveries failed; trying again in {Every}.", Every);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private readonly Lock _gate = new();
    private Task? _stopping;

    /// <summary>Once, however many times the host asks (a test host stops the app from two sides at once).</summary>
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return _stopping ??= DrainThenCloseAsync(cancellationToken);
    }

    private async Task DrainThenCloseAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await delivery.DrainAsync(DrainLimit, cancellationToken);
        try
        {
            var closed = await deadlines.CloseOursAsync(CancellationToken.None);
            if (closed > 0) logger.LogWarning("Stopped with {Count} devices still to answer: recorded as interrupted.", closed);
        }
        catch (ObjectDisposedException)
        {
            // The host was torn down under the stop: the next start closes what is left, as interrupted by the restart.
        }
    }
}
