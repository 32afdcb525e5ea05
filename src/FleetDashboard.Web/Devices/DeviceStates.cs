using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// What devices tell the server, written to the store and published on the feed: connections opening and
/// closing, reports, heartbeats; and what the server wants each device to be (its target state).
/// </summary>
public sealed class DeviceStates : IDisposable
{
    public const int MaxIpAddresses = 16;

    private readonly IDbContextFactory<FleetDbContext> dbs;
    private readonly DeviceFeed feed;
    private readonly TimeProvider clock;
    private readonly DeviceWrites _writes;

    public DeviceStates(IDbContextFactory<FleetDbContext> dbs, DeviceFeed feed, TimeProvider clock)
    {
        this.dbs = dbs;
        this.feed = feed;
        this.clock = clock;
        _writes = new DeviceWrites(dbs, clock, Publish);
    }

    /// <summary>A device's connection opened: when, or null when the device may not connect any more.</summary>
    public Task<DateTimeOffset?> ConnectedAsync(int deviceId, CancellationToken ct) => _writes.ConnectAsync(deviceId, ct);

    /// <summary>
    /// The connection that opened at <paramref name="connectedAt"/> closed; a newer one is left alone. Written with
    /// the connects, in the same grouped writes: its check and its change are one step, so a reconnect can never
    /// commit between them and be overwritten.
    /// </summary>
    public Task DisconnectedAsync(int deviceId, DateTimeOffset connectedAt) =>
        _writes.WriteAsync(deviceId, (device, now) =>
        {
            if (device is null || device.ConnectedAt != connectedAt) return (false, false);
            device.Disconnected(now);
            return (true, true);
        }, CancellationToken.None);

    /// <summary>A report: versions, release, addresses, lock, work. Refuses what cannot be read, changing nothing.</summary>
    public Task ReportAsync(int deviceId, DeviceReport report, CancellationToken ct)
    {
        if (report.ProtocolVersion != DeviceProtocol.Version)
            throw new HubException($"Protocol version {report.ProtocolVersion} is not spoken here; this server speaks {DeviceProtocol.Version}.");
        if (!FleetVersion.TryParse(report.HostOsVersion, out var hostOs) || !FleetVersion.TryParse(report.AgentVersion, out var agent))
            throw new HubException("Host OS and agent versions are numbers like 2.12.7.");
        if (report.IpAddresses is null || report.IpAddresses.Count > MaxIpAddresses
            || report.IpAddresses.Any(a => a is null || a.Length > 45 || !System.Net.IPAddress.TryParse(a, out _)))
            throw new HubException($"At most {MaxIpAddresses} IP addresses, each a valid address.");
        if (report.ReleaseCommit is { Length: > 64 }) throw new HubException("A release commit has at most 64 characters.");
        if (report.ProgressPercent is < 0 or > 100) throw new HubException("Progress is a percentage.");
        if (!Enum.IsDefined(report.Work)) throw new HubException("Unknown work.");

        var ipAddresses = string.Join(" ", report.IpAddresses);
        return _writes.WriteAsync(deviceId, (device, now) =>
        {
            if (device is null || device.IsOrphaned) throw new HubException("This device is no longer part of any application.");
            device.HostOsVersion = hostOs;
            device.AgentVersion = agent;
            device.ReleaseCommit = report.ReleaseCommit;
            device.IpAddresses = ipAddresses;
            device.UpdateLockHeld = report.UpdateLockHeld;
            device.Progress = report.Work;
            device.ProgressPercent = report.Work == DeviceProgress.Idle ? null : report.ProgressPercent;
            device.LastContactAt = now;
            if (device.TargetHostOsVersion is { } target && hostOs >= target)
            {
                device.TargetHostOsVersion = null;
                device.TargetHostOsForced = false;
            }
            return (true, true);
        }, ct);
    }

    /// <summary>The device is alive: its last contact is now (and so its heartbeat's expiry).</summary>
    public Task HeartbeatAsync(int deviceId, CancellationToken ct) => _writes.HeartbeatAsync(deviceId, ct);

    /// <summary>What the dashboard wants the device to be: its application, release, settings, host OS.</summary>
    public async Task<TargetState> TargetStateAsync(int deviceId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        var application = device?.ApplicationId is { } id ? await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct) : null;
        if (device is null || application is null) throw new HubException("This device is no longer part of any application.");
        // A pinned device installs its pin instead of the application's target; only ever a release of its own application.
        var release = (device.PinnedReleaseId ?? application.TargetReleaseId) is { } releaseId
            ? await db.Releases.AsNoTracking().SingleOrDefaultAsync(r => r.Id == releaseId && r.ApplicationId == application.Id, ct)
            : null;
        return new TargetState(DeviceProtocol.Version, application.Id, application.Name, device.DeviceType, release?.Commit,
            release?.Services ?? new Dictionary<string, string>(), device.PublicUrlEnabled, device.LocalMode, device.LockOverride,
            device.TargetHostOsVersion?.ToString(), device.TargetHostOsForced, (int)device.PollInterval.TotalSeconds);
    }

    /// <summary>
    /// At start no device is connected to this process, whatever the store remembers from the last one. No
    /// close was seen either: devices that were connected stay Online by their last heartbeat while they
    /// reconnect, and turn Offline when it grows old.
    /// </summary>
    public async Task ForgetConnectionsAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.Devices.Where(d => d.ConnectedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ConnectedAt, (DateTimeOffset?)null), ct);
    }

    public void Dispose() => _writes.Dispose();

    private void Publish(Device device)
    {
        var now = clock.GetUtcNow();
        feed.Publish(new DeviceEvent(device.Id, device.ApplicationId, now)
        {
            Status = device.StatusAt(now), Progress = device.ProgressAt(now), ProgressPercent = device.ProgressPercentAt(now),
        });
    }
}
