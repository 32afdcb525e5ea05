namespace FleetDashboard.Web.Hosting;

/// <summary>
/// Where people reach the dashboard from outside (<c>Fleet:PublicBaseAddress</c>, such as https://fleet.example.com/),
/// for links that are handed on rather than clicked here: a wall link carries its bearer token, and built from the
/// page's own address behind a TLS proxy it could say http:// and send the token in clear. Without the setting a link
/// takes the page's base address: in a circuit that is the browser's own location, so the scheme it used.
/// </summary>
public sealed record PublicBaseAddress(Uri? Configured)
{
    public const string Key = "Fleet:PublicBaseAddress";

    public static PublicBaseAddress From(IConfiguration configuration)
    {
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value)) return new PublicBaseAddress((Uri?)null);
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new InvalidOperationException($"{Key} must be an absolute http(s) address, such as https://fleet.example.com/; it is \"{value}\".");
        return new PublicBaseAddress(new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"));
    }

    /// <summary>The address of <paramref name="relativePath"/> under the public base, or under <paramref name="pageBaseUri"/> when none is configured.</summary>
    public Uri Of(string relativePath, string pageBaseUri) => new(Configured ?? new Uri(pageBaseUri), relativePath.TrimStart('/'));
}
