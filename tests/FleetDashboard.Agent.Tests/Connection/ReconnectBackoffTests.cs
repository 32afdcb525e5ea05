using System.Net;
using FleetDashboard.Agent.Connection;
using FleetDashboard.Agent.Simulation;
using Microsoft.AspNetCore.SignalR.Client;

namespace FleetDashboard.Agent.Tests.Connection;

public class ReconnectBackoffTests
{
    private static readonly SimulationOptions Options = new()
    {
        FirstReconnectDelay = TimeSpan.FromSeconds(1),
        MaxReconnectDelay = TimeSpan.FromSeconds(30),
    };

    [Theory]
    [InlineData(0, 0.5, 1)]
    [InlineData(1, 1, 2)]
    [InlineData(2, 2, 4)]
    [InlineData(4, 8, 16)]
    [InlineData(5, 15, 30)]
    [InlineData(6, 15, 30)]
    [InlineData(1_000, 15, 30)]
    [InlineData(long.MaxValue, 15, 30)]
    public void Delay_doubles_from_the_first_delay_within_half_to_full_and_never_passes_the_cap(
        long failures, double atLeastSeconds, double atMostSeconds)
    {
        var backoff = new ReconnectBackoff(Options, random: new Random(7));

        var delays = Enumerable.Range(0, 500).Select(_ => backoff.DelayAfter(failures).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, atLeastSeconds, atMostSeconds));
        // Jitter: a fleet that lost the server at once does not come back at once.
        Assert.True(delays.Distinct().Count() > 100);
    }

    [Fact]
    public void Delay_is_scaled_by_the_time_factor()
    {
        var backoff = new ReconnectBackoff(Options with { TimeFactor = 10 }, random: new Random(7));

        Assert.All(Enumerable.Range(0, 200), _ => Assert.InRange(backoff.DelayAfter(10).TotalSeconds, 1.5, 3));
    }

    [Fact]
    public void SignalR_retries_forever_after_an_ordinary_drop()
    {
        var backoff = new ReconnectBackoff(Options);

        var delay = backoff.NextRetryDelay(new RetryContext
        {
            PreviousRetryCount = 10_000,
            ElapsedTime = TimeSpan.FromDays(3),
            RetryReason = new HttpRequestException("bad gateway", null, HttpStatusCode.BadGateway),
        });

        Assert.NotNull(delay);
        Assert.InRange(delay.Value.TotalSeconds, 15, 30);
    }

    [Fact]
    public void Refused_credential_stops_the_retries_and_says_so()
    {
        Exception? refused = null;
        var backoff = new ReconnectBackoff(Options, credentialRefused: e => refused = e);
        var unauthorized = new HttpRequestException("unauthorized", null, HttpStatusCode.Unauthorized);

        var delay = backoff.NextRetryDelay(new RetryContext { RetryReason = new AggregateException(unauthorized) });

        Assert.Null(delay);
        Assert.NotNull(refused);
    }
}
