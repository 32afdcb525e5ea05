using System.Globalization;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Components.Pages.Applications;

/// <summary>
/// The device list of one application as the operator has arranged it: filters, the saved view applied, tag columns,
/// sort, page, the check boxes, and the rows last read. The page reads the rows; this says which and what they mean.
/// </summary>
public sealed class DeviceListState(int applicationId)
{
    public int ApplicationId { get; } = applicationId;
    public IReadOnlyList<DeviceFilter> Filters { get; private set; } = [];

    /// <summary>The view last recalled or saved, kept (as modified) while its filters are changed; null when none is.</summary>
    public SavedViewRow? View { get; set; }

    /// <summary>The tag names shown as columns.</summary>
    public IReadOnlyList<string> TagColumns { get; set; } = [];
    public DeviceListSelection Selection { get; } = new(applicationId);
    public IReadOnlyList<DeviceRow> Rows { get; private set; } = [];
    public int ListedTotal { get; private set; }
    public bool PageLoaded { get; private set; }
    public string SortedBy { get; private set; } = nameof(DeviceSort.Name);
    public bool Descending { get; private set; }
    public int Page { get; private set; }
    public int PageSize { get; private set; } = 50;

    /// <summary>
    /// SPEC §3: a filter or a saved view applied → the top check box selects the listed devices. A view holds at
    /// least one filter (the core says so) and is no longer applied once its last filter goes; it counts anyway.
    /// </summary>
    public bool ListFiltered => Filters.Count > 0 || View is not null;

    /// <summary>What Group actions will act on: the checked devices, or all listed; null when none is selected.</summary>
    public DeviceTargets? SelectedTargets => Selection.Targets(Filters);

    public string EmptyText =>
        !PageLoaded ? "Loading devices…" : ListFiltered ? "No device matches these filters." : "This application has no devices yet.";

    public string SelectedCount => Selection.Count(ListedTotal).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>What the confirmation says the group is; the service resolves the devices again on confirm.</summary>
    public string SelectionDescription(string applicationName) => (Selection.AllListed, ListFiltered) switch
    {
        (true, true) => $"the {SelectedCount} listed devices of {applicationName}",
        (true, false) => $"every device of {applicationName}",
        _ => $"{SelectedCount} checked {(SelectedCount == "1" ? "device" : "devices")} of {applicationName}",
    };

    public DeviceListRequest Request()
    {
        var (sort, sortTag) = Applications.TagColumns.SortOf(SortedBy, TagColumns);
        return new DeviceListRequest(ApplicationId, Filters, sort, Descending, Page * PageSize, PageSize, sortTag);
    }

    /// <summary>Another list, another selection: what was checked may not be listed any more. No filter left: no view either.</summary>
    public void Filter(IReadOnlyList<DeviceFilter> filters)
    {
        Filters = filters;
        if (filters.Count == 0) View = null;
        Selection.Clear();
        Page = 0;
    }

    /// <summary>A click on the column sorted by turns its order round; on another column, sorts by it from A.</summary>
    public void SortBy(string label) => (SortedBy, Descending) = (label, label == SortedBy && !Descending);

    public void PageTo(int page, int pageSize) => (Page, PageSize) = (page, pageSize);

    /// <summary>A list sorted by a tag column just removed goes back to its name order.</summary>
    public void TagColumnsChanged()
    {
        if (SortedBy != nameof(DeviceSort.Name) && Applications.TagColumns.SortOf(SortedBy, TagColumns).Sort == DeviceSort.Name)
            (SortedBy, Descending) = (nameof(DeviceSort.Name), false);
    }

    /// <summary>
    /// Shows at once what a batch of the live feed says about rows on screen (a device's new status), before the
    /// store is read again for the counts, the order and what else changed. True when a row changed. At 10,000 devices
    /// the reload spends tens of milliseconds counting statuses; the row that changed need not wait for it (B5).
    /// </summary>
    public bool Patch(IReadOnlyList<DeviceEvent> batch)
    {
        var statuses = batch.Where(e => e.Status is not null && e.ApplicationId == ApplicationId)
            .GroupBy(e => e.DeviceId).ToDictionary(g => g.Key, g => g.MaxBy(e => e.At)!.Status!.Value);
        if (statuses.Count == 0) return false;
        var changed = false;
        var rows = Rows.Select(row =>
        {
            if (!statuses.TryGetValue(row.Id, out var status) || status == row.Status) return row;
            changed = true;
            return row with { Status = status };
        }).ToList();
        if (changed) Rows = rows;
        return changed;
    }

    /// <summary>
    /// Shows the page read (null: access ended). True when it should be read again: devices left while a later page
    /// was open, and the last page there is shows instead of an empty one.
    /// </summary>
    public bool Show(DevicePage? page)
    {
        PageLoaded = true;
        (Rows, ListedTotal) = page is null ? ([], 0) : (page.Rows, page.Total);
        if (page is null || Rows.Count > 0 || Page == 0 || ListedTotal == 0) return false;
        Page = (ListedTotal - 1) / PageSize;
        return true;
    }
}
