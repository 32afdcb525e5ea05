using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using FleetDashboard.Core.Access;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FleetDashboard.Web.Devices;

/// <summary>
/// How fast devices may register (<c>Fleet:Registration</c>). Each registration writes a device that may never
/// connect, and 2,000 at once slowed the sign-in page to 6 s (issue 11), so registrations are limited per client
/// address (before the body is read) and per provisioning key (a leaked key used from many addresses).
/// </summary>
public sealed class RegistrationOptions
{
    public RegistrationRate PerAddress { get; set; } = new() { Burst = 20, PerSecond = 5 };
    public RegistrationRate PerKey { get; set; } = new() { Burst = 50, PerSecond = 10 };
}

/// <summary>A token bucket: <see cref="Burst"/> registrations at once, <see cref="PerSecond"/> more each second.</summary>
public sealed class RegistrationRate
{
    public int Burst { get; set; }
    public int PerSecond { get; set; }

    public TokenBucketRateLimiterOptions Bucket() => new()
    {
        TokenLimit = Burst, TokensPerPeriod = PerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        // No queue: a refused device is told when to come back rather than held on an open request.
        QueueLimit = 0, AutoReplenishment = true,
    };
}

/// <summary>The per-address limit: ASP.NET Core's rate limiter, one bucket per client address.</summary>
public sealed class RegistrationAddressLimit(IOptions<RegistrationOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "device-registration";

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetTokenBucketLimiter(AddressOf(httpContext.Connection.RemoteIpAddress), _ => options.Value.PerAddress.Bucket());

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (context, _) =>
        new ValueTask(RegistrationLimits.TooMany(context.HttpContext, context.Lease, "from this address").ExecuteAsync(context.HttpContext));

    /// <summary>An IPv6 host usually holds a whole /64: counted per address it would have billions of buckets.</summary>
    private static string AddressOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

/// <summary>The per-key limit, taken once the body is read: one bucket per provisioning key (by its hash).</summary>
public sealed class RegistrationLimits(IOptions<RegistrationOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perKey = PartitionedRateLimiter.Create<string, string>(hash =>
        RateLimitPartition.GetTokenBucketLimiter(hash, _ => options.Value.PerKey.Bucket()));

    /// <summary>A lease for one registration with this key; unknown keys are limited too, by the address limit first.</summary>
    public RateLimitLease AcquireForKey(string provisioningKey) =>
        _perKey.AttemptAcquire(Secret.Hash(provisioningKey ?? ""));

    /// <summary>429 with Retry-After, and the reason as a problem's detail: the agent logs it.</summary>
    public static IResult TooMany(HttpContext http, RateLimitLease lease, string whose)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem($"Too many registrations {whose}: try again in {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Registration refused");
    }

    public void Dispose() => _perKey.Dispose();
}
