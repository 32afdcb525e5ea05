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

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await delivery.DrainAsync(DrainLimit, cancellationToken);
        var closed = await deadlines.CloseOursAsync(CancellationToken.None);
        if (closed > 0) logger.LogWarning("Stopped with {Count} devices still to answer: recorded as interrupted.", closed);
    }
}
