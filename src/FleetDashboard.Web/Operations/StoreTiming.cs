using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FleetDashboard.Web.Operations;

/// <summary>
/// Store latency: every command EF Core runs (queries, saves, the outcome and target inserts) is timed by EF itself;
/// this only records the duration it measured, so it costs one histogram update per command.
/// </summary>
public sealed class StoreTiming(FleetMetrics metrics) : DbCommandInterceptor
{
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) =>
        Timed(eventData, result);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Timed(eventData, result));

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) => Timed(eventData, result);

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Timed(eventData, result));

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) => Timed(eventData, result);

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Timed(eventData, result));

    // A failed command took its time too (a busy store is what this figure is for).
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => metrics.StoreCommand(eventData.Duration);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        metrics.StoreCommand(eventData.Duration);
        return Task.CompletedTask;
    }

    private T Timed<T>(CommandExecutedEventData eventData, T result)
    {
        metrics.StoreCommand(eventData.Duration);
        return result;
    }
}
