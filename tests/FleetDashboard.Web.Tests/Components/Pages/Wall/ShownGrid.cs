using Bunit;
using FleetDashboard.Web.Components.Pages.Wall;

namespace FleetDashboard.Web.Tests.Components.Pages.Wall;

/// <summary>One cell of the wall's grid as the browser shows it.</summary>
internal sealed record ShownCell(int Id, string Title, string Class, string Text);

/// <summary>
/// The wall's grid as its script (WallDeviceGrid.razor.js) shows it, replayed from the grid's calls to the script in
/// the order they were made: bUnit has no browser. The browser tests (EndToEnd) check what the script itself draws.
/// </summary>
internal static class ShownGrid
{
    public static List<ShownCell> Cells(BunitJSModuleInterop script)
    {
        var cells = new List<ShownCell>();
        string[] classes = [];
        foreach (var call in script.Invocations)
        {
            if (call.Identifier == "draw")
            {
                var drawn = (WallDeviceGrid.WallGridCells)call.Arguments[1]!;
                classes = drawn.Classes;
                cells = [.. drawn.Ids.Select((id, i) =>
                    new ShownCell(id, drawn.Names[i], classes[drawn.Statuses[i]], drawn.Named ? drawn.Names[i] : ""))];
            }
            else if (call.Identifier == "turn")
            {
                var (positions, statuses) = ((IReadOnlyList<int>)call.Arguments[1]!, (IReadOnlyList<int>)call.Arguments[2]!);
                for (var i = 0; i < positions.Count; i++) cells[positions[i]] = cells[positions[i]] with { Class = classes[statuses[i]] };
            }
        }
        return cells;
    }

    public static ShownCell Cell(BunitJSModuleInterop script, int deviceId) => Cells(script).Single(c => c.Id == deviceId);

    public static int Calls(BunitJSModuleInterop script, string function) => script.Invocations.Count(c => c.Identifier == function);
}
