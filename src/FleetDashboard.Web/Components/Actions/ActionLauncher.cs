using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace FleetDashboard.Web.Components.Actions;

/// <summary>
/// What an Actions menu and the "Dangerous actions" buttons share: the choices the user's role allows, and
/// opening the confirmation, then either following the run's live outcomes or saying how it went.
/// </summary>
public abstract class ActionLauncher : ComponentBase
{
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>What the actions are on; null while nothing is selected.</summary>
    [Parameter] public DeviceTargets? Targets { get; set; }

    /// <summary>The user's role on the application: only what it allows is offered (the service checks again).</summary>
    [Parameter, EditorRequired] public ApplicationRole Role { get; set; }

    [Parameter, EditorRequired] public string TargetDescription { get; set; } = "";

    /// <summary>Fills the confirmation's form: the current name, tag or type of what the action is on.</summary>
    [Parameter] public Func<ActionInputs>? Initial { get; set; }

    /// <summary>Called with each run once recorded, refused ones included.</summary>
    [Parameter] public EventCallback<RecordedRun> Done { get; set; }

    protected async Task LaunchAsync(ActionKind kind)
    {
        if (Targets is null) return;
        var user = (await AuthenticationState).User;
        var parameters = new DialogParameters<ConfirmActionDialog>
        {
            { d => d.Kind, kind },
            { d => d.Targets, Targets },
            { d => d.User, user },
            { d => d.TargetDescription, TargetDescription },
            { d => d.Initial, Initial?.Invoke() },
        };
        var dialog = await Dialogs.ShowAsync<ConfirmActionDialog>(kind.Title, parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: RecordedRun run }) return;
        await Done.InvokeAsync(run);
        Report(run);
    }

    /// <summary>Immediate actions on devices answer over seconds: their run page shows it live. The rest is done now.</summary>
    private void Report(RecordedRun run)
    {
        if (run.Delivering)
        {
            Navigation.NavigateTo($"runs/{run.Id}");
            return;
        }
        var severity = run.Refusal is not null ? Severity.Error
            : run.Outcomes.Any(o => o != OutcomeKind.Succeeded) ? Severity.Warning : Severity.Success;
        Snackbar.Add($"{run.Action}: {RunSummary.Of(run)}", severity, options =>
        {
            options.Action = "View run";
            options.OnClick = _ =>
            {
                Navigation.NavigateTo($"runs/{run.Id}");
                return Task.CompletedTask;
            };
        });
    }
}

/// <summary>"refused: needs the Operator role", "12 succeeded, 3 not notified".</summary>
public static class RunSummary
{
    public static string Of(RecordedRun run)
    {
        if (run.Refusal is not null) return $"refused: {run.Refusal}";
        if (run.Outcomes.Count == 0) return "done";
        return string.Join(", ", run.Outcomes.GroupBy(o => o).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {Outcomes.Describe(g.Key, null)}"));
    }
}
