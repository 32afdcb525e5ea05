using System.Linq.Expressions;
using Bunit;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Components.Pages.Releases;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.Releases;

public sealed class ReleasesPageTests : KiosksPageTest<ReleasesPage>
{
    protected override Expression<Func<ReleasesPage, int>> ApplicationId => p => p.Id;

    private async Task<int> ReleaseAsync(string commit, string version)
    {
        var run = await Store.Actions.RunAsync(Developer, ActionRequest.On(Kiosks.Id,
            new CreateRelease(commit, new Dictionary<string, string> { ["main"] = $"registry.test/kiosk:{version}" }, version, $"notes of {version}")));
        Assert.Null(run.Refusal);
        await using var db = Store.Db();
        return await db.Releases.Where(r => r.Commit == commit).Select(r => r.Id).SingleAsync();
    }

    private static async Task CreateAsync(IRenderedComponent<ReleasesPage> page, string version, string commit, string image, string note)
    {
        page.Find("input#release-version").Input(version);
        page.Find("input#release-commit").Input(commit);
        page.Find("input#release-image").Input(image);
        page.Find("textarea#release-note").Input(note);
        await page.Find("#create-release").ClickAsync(new());
    }

    [Fact]
    public async Task A_developer_creates_a_release_and_it_is_listed_with_its_version_note_and_image()
    {
        var page = RenderPage(Developer);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-releases")));

        await CreateAsync(page, "1.4.0", "4f2a9c1", "registry.test/kiosk:1.4.0", "Faster boot.");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("#releases tbody tr")));
        var row = page.Find("#releases tbody tr");
        Assert.Equal("1.4.0", row.QuerySelector(".release-version")!.TextContent);
        Assert.Contains("4f2a9c1", row.TextContent);
        Assert.Contains("main: registry.test/kiosk:1.4.0", row.QuerySelector(".release-image")!.TextContent);
        Assert.Equal("Faster boot.", row.QuerySelector(".release-note")!.TextContent);
        Assert.Contains("0 devices run it", row.QuerySelector(".release-devices")!.TextContent);
        Assert.Contains("by developer@example.test", row.TextContent);
        Assert.Equal("", page.Find("input#release-version").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task A_version_that_exists_is_refused_and_the_form_keeps_what_was_typed()
    {
        await ReleaseAsync("aaaaaaa", "1.0.0");
        var snackbars = Render<MudSnackbarProvider>();
        var page = RenderPage(Developer);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#releases tbody tr")));

        await CreateAsync(page, "1.0.0", "bbbbbbb", "registry.test/kiosk:again", "");

        snackbars.WaitForAssertion(() => Assert.Contains("kiosks already has a release 1.0.0.", snackbars.Markup));
        Assert.Single(page.FindAll("#releases tbody tr"));
        Assert.Equal("bbbbbbb", page.Find("input#release-commit").GetAttribute("value"));
    }

    [Fact]
    public async Task An_operator_sees_the_releases_but_may_neither_create_one_nor_set_the_target()
    {
        await ReleaseAsync("aaaaaaa", "1.0.0");

        var page = RenderPage(Operator);

        page.WaitForAssertion(() => Assert.Single(page.FindAll("#releases tbody tr")));
        Assert.Empty(page.FindAll("#create-release"));
        Assert.Empty(page.FindAll("[data-action='Set target release']"));
    }

    [Fact]
    public async Task Make_target_confirms_through_the_action_pipeline_and_the_list_marks_the_target_and_the_pinned_device()
    {
        var older = await ReleaseAsync("aaaaaaa", "1.0.0");
        var newer = await ReleaseAsync("bbbbbbb", "1.1.0");
        var device = await Store.DeviceAsync(Kiosks, "kiosk-1", d => d.ReleaseCommit = "aaaaaaa");
        Assert.Null((await Store.Actions.RunAsync(Developer, new ActionRequest(new PinRelease(older), DeviceTargets.Device(Kiosks.Id, device.Id)))).Refusal);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(Developer);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-action='Set target release']").Count));

        // The click's handler waits for the confirmation: answer it before awaiting the click.
        var making = page.Find($"tr[data-release='{newer}'] [data-action='Set target release']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("told of their new target state", dialogs.Find("#plan-summary").TextContent));
        await dialogs.Find("#action-confirm").ClickAsync(new());
        await making;

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"tr[data-release='{newer}'] .release-target")));
        Assert.Empty(page.FindAll($"tr[data-release='{newer}'] [data-action]"));
        Assert.Equal("1 device run it; 1 pinned", page.Find($"tr[data-release='{older}'] .release-devices").TextContent.Trim());
        await using var db = Store.Db();
        Assert.Equal(newer, (await db.Applications.SingleAsync(a => a.Id == Kiosks.Id)).TargetReleaseId);
        Assert.Contains(await db.ActionRuns.Select(r => r.ActionKey).ToListAsync(), k => k == SetTargetRelease.Set.Key);
    }
}
