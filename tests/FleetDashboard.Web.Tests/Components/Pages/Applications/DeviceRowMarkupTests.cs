using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Components.Pages.Applications;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Tests.Components.Pages.Applications;

/// <summary>
/// A device row's cells are raw markup (a MarkupString, one frame a row): every text in them comes from a device or an
/// operator, so each must reach the page encoded, in an element's text and in a single-quoted attribute alike.
/// </summary>
public sealed class DeviceRowMarkupTests
{
    private const string Hostile = "<img src=x onerror=alert(1)>'\"&";

    [Fact]
    public void Every_text_of_a_device_is_encoded_in_its_cells()
    {
        var row = new DeviceRow(7, Hostile, Hostile, Hostile, DeviceStatus.Online, FleetVersion.Parse("2.13.1"),
            FleetVersion.Parse("1.4.2"), Hostile, DateTimeOffset.UnixEpoch, Hostile, true,
            new Dictionary<string, string?> { [Hostile] = Hostile, ["site"] = Hostile, ["pilot"] = null });

        var html = DeviceRowMarkup.Cells(row, [Hostile, "site"], DateTimeOffset.UnixEpoch.AddMinutes(5)).Value;

        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("'\"", html); // no quote survives to end an attribute
        Assert.DoesNotContain("&\"", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;&#x27;&quot;&amp;", html);
    }
}
