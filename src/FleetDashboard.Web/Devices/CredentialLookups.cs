using System.Threading.Channels;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// Which device a credential belongs to, looked up together: every credential waiting when the previous look-up
/// ends goes into the next query, one IN over the unique credential index on one pooled store connection. A fleet
/// reconnecting after a restart asks this thousands of times a second; a query and a pooled connection each ran the
/// pool dry (B8 at 40,000 on PostgreSQL: 16,481 connections refused after waiting 15 s for one of a node's 30) while
/// the handshakes that did get one timed out behind them. A quiet fleet is looked up one device at a time, at once.
/// One query at a time: a store that hangs holds every sign-in of the node for as long (PostgreSQL's pool timeout is 15 s).
/// Never cached: a revoked, orphaned or deleted device's credential stops working with the next look-up.
/// </summary>
public sealed class CredentialLookups : IDisposable
{
    /// <summary>At most this many credentials in one query: a bound on its size, not a wait.</summary>
    private const int MostAtOnce = 1_000;

    private readonly IDbContextFactory<FleetDbContext> _dbs;
    private readonly Channel<Lookup> _lookups = Channel.CreateUnbounded<Lookup>(new UnboundedChannelOptions { SingleReader = true });

    public CredentialLookups(IDbContextFactory<FleetDbContext> dbs)
    {
        _dbs = dbs;
        _ = Task.Run(LookUpAllAsync);
    }

    public sealed record Holder(int Id, string Uuid);

    /// <summary>The device whose credential hashes to <paramref name="hash"/>, or null when none in an application does.</summary>
    public Task<Holder?> DeviceAsync(string hash, CancellationToken ct)
    {
        var lookup = new Lookup(hash);
        if (!_lookups.Writer.TryWrite(lookup)) throw new ObjectDisposedException(nameof(CredentialLookups));
        // A caller that gives up stops waiting; its credential is still looked up with the others.
        return lookup.Done.Task.WaitAsync(ct);
    }

    private async Task LookUpAllAsync()
    {
        var batch = new List<Lookup>();
        while (await _lookups.Reader.WaitToReadAsync())
        {
            while (batch.Count < MostAtOnce && _lookups.Reader.TryRead(out var lookup)) batch.Add(lookup);
            try
            {
                var holders = await HoldersAsync(batch.Select(l => l.Hash).Distinct().ToList());
                foreach (var lookup in batch) lookup.Done.TrySetResult(holders.GetValueOrDefault(lookup.Hash));
            }
            catch (Exception e)
            {
                // A store outage fails this batch's sign-ins as it failed each of them alone; the next batch tries again.
                foreach (var lookup in batch)
                {
                    lookup.Done.TrySetException(e);
                    // Observed here: a caller that gave up never awaits it, and the runtime would report it unobserved.
                    _ = lookup.Done.Task.Exception;
                }
            }
            batch.Clear();
        }
    }

    private async Task<Dictionary<string, Holder>> HoldersAsync(List<string> hashes)
    {
        await using var db = await _dbs.CreateDbContextAsync();
        return await db.Devices.AsNoTracking()
            .Where(d => hashes.Contains(d.CredentialHash!) && d.ApplicationId != null)
            .Select(d => new { Hash = d.CredentialHash!, d.Id, d.Uuid })
            .ToDictionaryAsync(d => d.Hash, d => new Holder(d.Id, d.Uuid));
    }

    /// <summary>Takes no more look-ups; those already waiting are still answered.</summary>
    public void Dispose() => _lookups.Writer.TryComplete();

    private sealed class Lookup(string hash)
    {
        public string Hash { get; } = hash;

        public TaskCompletionSource<Holder?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
