using System.Text;
using System.Text.Encodings.Web;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Components.Shared;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Components;

namespace FleetDashboard.Web.Components.Pages.Applications;

/// <summary>
/// A device row's cells after its check box, as one piece of markup: the HTML DeviceListTable wrote cell by cell, in
/// one frame instead of about seventy (each kept twice in every open list's circuit: 330 KB of a summary page's
/// 1.1 MB, issue 14's B7). Nothing in them is interactive (the device link is an ordinary link the router takes), and
/// every value is HTML-encoded (HtmlEncoder encodes both quotes, so single-quoted attributes are safe).
/// </summary>
public static class DeviceRowMarkup
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static MarkupString Cells(DeviceRow row, IReadOnlyList<string> shownTags, DateTimeOffset now)
    {
        var html = new StringBuilder(1024);
        html.Append("<td class='mud-table-cell'><span class='fleet-device-status fleet-status-").Append(DeviceStatusCount.Css(row.Status))
            .Append("'><span class='fleet-status-dot'></span>").Append(Html.Encode(row.Status.Label())).Append("</span></td>");
        html.Append("<td class='mud-table-cell fleet-device-name' title='").Append(Html.Encode(row.Name))
            .Append("'><a href='devices/").Append(row.Id).Append("' class='fleet-device-link'>").Append(Html.Encode(row.Name)).Append("</a></td>");
        html.Append("<td class='mud-table-cell'>");
        Code(html, row.Uuid);
        html.Append("</td>");
        Cell(html, "mud-table-cell fleet-wrap", DeviceType.Find(row.DeviceType)?.DisplayName ?? row.DeviceType);
        Cell(html, "mud-table-cell fleet-nowrap", row.HostOs.ToString());
        Cell(html, "mud-table-cell fleet-nowrap", row.Agent.ToString());
        html.Append("<td class='mud-table-cell'>");
        if (row.Release is { } release) Code(html, release);
        else html.Append("<span class='fleet-muted'>none</span>");
        html.Append("</td><td class='mud-table-cell fleet-wrap'>");
        if (row.LastSeen is { } seen)
            html.Append("<span title='").Append(Html.Encode(RelativeTime.Exact(seen))).Append("'>").Append(Html.Encode(RelativeTime.Ago(seen, now))).Append("</span>");
        else html.Append("<span class='fleet-muted'>never</span>");
        html.Append("</td>");
        Cell(html, "mud-table-cell fleet-device-ips", row.IpAddresses);
        html.Append(row.PublicUrl
            ? "<td class='mud-table-cell'><span class='fleet-flag-on'>on</span></td>"
            : "<td class='mud-table-cell'><span class='fleet-muted'>off</span></td>");
        var tags = row.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        html.Append("<td class='mud-table-cell'><div class='fleet-tags' title='")
            .Append(Html.Encode(string.Join("\n", tags.Select(t => t.Value is null ? t.Key : $"{t.Key}: {t.Value}")))).Append("'>");
        foreach (var (name, value) in tags)
            html.Append("<span class='fleet-tag'>").Append(Html.Encode(value is null ? name : $"{name}: {value}")).Append("</span>");
        html.Append("</div></td>");
        foreach (var tag in shownTags)
        {
            html.Append("<td class='mud-table-cell fleet-tag-cell' data-tag='").Append(Html.Encode(tag)).Append("'>");
            if (row.Tags.TryGetValue(tag, out var value))
                html.Append(value is null ? "<span class='fleet-muted'>(no value)</span>" : $"<span title='{Html.Encode(value)}'>{Html.Encode(value)}</span>");
            html.Append("</td>");
        }
        return new MarkupString(html.ToString());
    }

    private static void Cell(StringBuilder html, string css, string text) =>
        html.Append("<td class='").Append(css).Append("'>").Append(Html.Encode(text)).Append("</td>");

    // A commit or UUID by its first seven characters, the whole of it on hover.
    private static void Code(StringBuilder html, string value) =>
        html.Append("<code class='fleet-mono' title='").Append(Html.Encode(value)).Append("'>")
            .Append(Html.Encode(value[..Math.Min(7, value.Length)])).Append("</code>");
}
