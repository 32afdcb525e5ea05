using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Components.Pages.Devices;

/// <summary>The device on its page: what its cards and its action buttons read from it.</summary>
public sealed class ShownDevice(DeviceDetails details, string publicUrl)
{
    public DeviceDetails Details { get; } = details;
    public DeviceRow Row => Details.Row;

    /// <summary>Support staff who see the device through a grant on it have no role on its application.</summary>
    public ApplicationRole Role => Details.Role ?? ApplicationRole.Observer;

    /// <summary>Whether the user may open the device's application: not through a grant on this device alone.</summary>
    public bool CanOpenApplication => Details.Role is not null;

    public DeviceTargets Targets => DeviceTargets.Device(Details.ApplicationId, Row.Id);

    /// <summary>The device's public URL: its own host under the devices' domain, or the dashboard's path form without one.</summary>
    public string PublicUrl { get; } = publicUrl;

    /// <summary>What the device is busy with ("Applying release · 40%"), or null when it is idle.</summary>
    public string? ProgressText => Details.Progress switch
    {
        DeviceProgress.Idle => null,
        DeviceProgress.UpdatingHostOs => $"Updating host OS to {Details.TargetHostOs} · {Details.ProgressPercent ?? 0}%",
        _ => $"Applying release · {Details.ProgressPercent ?? 0}%",
    };

    public IEnumerable<KeyValuePair<string, string?>> SortedTags => Row.Tags.OrderBy(t => t.Key, StringComparer.Ordinal);

    /// <summary>The dialog starts from the device as it is: its name, its type, its first tag.</summary>
    public ActionInputs Initial() => new()
    {
        Name = Row.Name,
        DeviceType = Row.DeviceType,
        TagName = Row.Tags.Keys.Order(StringComparer.Ordinal).FirstOrDefault() ?? "",
        // The newest host OS offered for its type that is newer than what it runs, if any.
        HostOs = DeviceType.Find(Row.DeviceType)?.OfferedHostOs
            .Where(v => v > Row.HostOs).OrderDescending().Select(v => (FleetVersion?)v).FirstOrDefault(),
    };
}
