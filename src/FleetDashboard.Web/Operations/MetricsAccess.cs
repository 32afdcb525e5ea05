using System.Net;

namespace FleetDashboard.Web.Operations;

/// <summary>
/// Who may read /metrics: the networks in <c>Fleet:Metrics:AllowedNetworks</c> (CIDR, comma or list), or loopback
/// only when none is named. The address is the client's as the believed proxies give it (forwarded headers run
/// first), so a scrape relayed from outside by a local proxy is refused too. Everyone else finds no such page.
/// </summary>
public sealed class MetricsAccess
{
    public const string Section = "Fleet:Metrics";

    private readonly IReadOnlyList<IPNetwork> _allowed;

    private MetricsAccess(IReadOnlyList<IPNetwork> allowed) => _allowed = allowed;

    public static MetricsAccess From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section).GetSection("AllowedNetworks");
        // One value ("10.0.0.0/8, 192.168.1.0/24") or a list (AllowedNetworks:0, :1, … as environment variables give it).
        var named = (section.Value is { } one ? [one] : section.GetChildren().Select(c => c.Value ?? ""))
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        return new MetricsAccess(named.Count == 0
            ? [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]
            : named.Select(IPNetwork.Parse).ToList());
    }

    public bool Allows(IPAddress? client)
    {
        if (client is null) return false;
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        return _allowed.Any(network => network.Contains(client));
    }
}
