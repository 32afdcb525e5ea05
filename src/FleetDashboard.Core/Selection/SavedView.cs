namespace FleetDashboard.Core.Selection;

/// <summary>A named set of filters on one application's device list, shared by its members.</summary>
public sealed class SavedView
{
    public int Id { get; set; }
    public int ApplicationId { get; set; }
    public required string Name { get; set; }
    public List<DeviceFilter> Filters { get; set; } = [];
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
