using FleetDashboard.Web.Devices;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace FleetDashboard.Web.Cluster;

public static class ClusterExtensions
{
    public const string RedisSetting = "Fleet:Redis";
    public const string PrefixSetting = "Fleet:RedisPrefix";

    public static bool IsCluster(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[RedisSetting]);

    /// <summary>
    /// One of several nodes sharing a fleet through Redis (<c>Fleet:Redis</c>): the device hub's backplane, where each
    /// device is connected, the live feed, the sign-in keys and the lease of the work done once. Without the setting
    /// nothing here is registered and no Redis code runs.
    /// </summary>
    public static WebApplicationBuilder AddFleetCluster(this WebApplicationBuilder builder)
    {
        if (!IsCluster(builder.Configuration)) return builder;
        var prefix = builder.Configuration[PrefixSetting] is { Length: > 0 } given ? given : "fleet";
        var services = builder.Services;
        // Connected at start without waiting: a node starts and serves its own devices while Redis is down.
        var redis = ConnectionMultiplexer.Connect(Options(builder.Configuration[RedisSetting]!));
        var fleetRedis = new FleetRedis(redis, prefix);
        services.AddSingleton(_ => fleetRedis);
        services.AddSingleton<IConnectionMultiplexer>(_ => redis);

        // The device hub alone: a Blazor circuit stays on the node that drew its page (sticky sessions).
        services.Configure<RedisOptions>(options =>
        {
            options.Configuration = Options(builder.Configuration[RedisSetting]!);
            options.Configuration.ChannelPrefix = RedisChannel.Literal(fleetRedis.Key("hub"));
        });
        services.AddSingleton<HubLifetimeManager<DeviceHub>, RedisHubLifetimeManager<DeviceHub>>();
        services.AddSingleton<RedisWhereabouts>();
        services.AddSingleton<IDeviceWhereabouts>(provider => provider.GetRequiredService<RedisWhereabouts>());
        services.AddHostedService<FeedRelay>();
        services.AddSingleton<NudgeRelay>();
        services.AddHostedService(provider => provider.GetRequiredService<NudgeRelay>());
        services.AddSingleton<DeliveryRelay>();
        services.AddHostedService(provider => provider.GetRequiredService<DeliveryRelay>());

        // A cookie sealed on one node opens on every node: one key ring, and one application name whatever the folder.
        services.AddDataProtection().SetApplicationName("FleetDashboard")
            .PersistKeysToStackExchangeRedis(() => redis.GetDatabase(), fleetRedis.Key("data-protection-keys"));

        services.AddSingleton<ClusterLease>();
        services.AddSingleton<IClusterLease>(provider => provider.GetRequiredService<ClusterLease>());
        services.AddHostedService(provider => provider.GetRequiredService<ClusterLease>());
        services.AddSingleton<GoneNodes>();
        services.AddHostedService(provider => provider.GetRequiredService<GoneNodes>());
        return builder;
    }

    private static ConfigurationOptions Options(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        // A node asks Redis while it delivers: an answer that does not come in 2 s is Redis down, said at once.
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 2000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 2000);
        return options;
    }
}

/// <summary>The node's Redis connection, and its keys and channels under <c>Fleet:RedisPrefix</c>.</summary>
public sealed class FleetRedis(IConnectionMultiplexer connection, string prefix)
{
    public IConnectionMultiplexer Connection { get; } = connection;

    public string Key(string name) => $"{prefix}:{name}";

    /// <summary>
    /// Redis could not answer: refused, closed, or silent past the timeout. A silent one (hung, or cut off by the
    /// network) throws RedisTimeoutException, which is a TimeoutException and not a RedisException.
    /// </summary>
    public static bool IsDown(Exception e) => e is RedisException or RedisTimeoutException;
}
