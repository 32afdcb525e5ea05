using FleetDashboard.Core.Devices;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Data;

/// <summary>
/// The tag rows as the device list reads them. Each row carries its device's application (kept by the store's triggers, made
/// by the migration DeviceTagsByApplication), so that one application's tags of one name are a range of
/// IX_DeviceTags_Application_Name_Value: a tag filter counts through it, and a tag sort walks it in order.
/// </summary>
public static class DeviceTagRows
{
    public const string DeviceId = "DeviceId";
    public const string ApplicationId = "ApplicationId";

    /// <summary>The tags on one application's devices.</summary>
    public static IQueryable<DeviceTag> OfApplication(this IQueryable<DeviceTag> tags, int applicationId) =>
        tags.Where(t => EF.Property<int?>(t, ApplicationId) == applicationId);

    /// <summary>The tags of one name on one application's devices.</summary>
    public static IQueryable<DeviceTag> Named(this IQueryable<DeviceTag> tags, int applicationId, string name) =>
        tags.OfApplication(applicationId).Where(t => t.Name == name);
}
