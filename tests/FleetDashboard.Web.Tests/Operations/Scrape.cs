using System.Globalization;
using System.Net;

namespace FleetDashboard.Web.Tests.Operations;

/// <summary>One read of /metrics, in Prometheus' text format, as a scraper sees it.</summary>
public sealed class Scrape(string text)
{
    public string Text { get; } = text;

    public static async Task<Scrape> ReadAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Scrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The value of the first series named <paramref name="name"/> whose labels include <paramref name="label"/>; 0 when none is there yet.</summary>
    public double Value(string name, string? label = null)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal)) continue;
            var rest = line[name.Length..];
            var labels = "";
            if (rest.StartsWith('{'))
            {
                var end = rest.IndexOf('}');
                labels = rest[..(end + 1)];
                rest = rest[(end + 1)..];
            }
            else if (!rest.StartsWith(' ')) continue; // a longer name that starts the same
            if (label is not null && !labels.Contains(label, StringComparison.Ordinal)) continue;
            return double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return 0;
    }
}
