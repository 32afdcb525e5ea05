using System.Linq.Expressions;
using Bunit;
using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Web.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Components.Pages.Keys;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Hosting;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages.Keys;

public sealed class ProvisioningKeysPageTests : KiosksPageTest<ProvisioningKeysPage>
{
    protected override Expression<Func<ProvisioningKeysPage, int>> ApplicationId => p => p.Id;

    // The page's own address is http://localhost/ here: the command must name the configured public address.
    protected override void ArrangeMore() => Services.AddSingleton(new PublicBaseAddress(new Uri("https://fleet.example.test/")));

    [Fact]
    public void An_operator_is_told_who_makes_keys_and_offered_nothing()
    {
        var page = RenderPage(Operator);

        page.WaitForAssertion(() => Assert.Contains("made and revoked by its Developers", page.Find("#keys-not-developer").TextContent));
        Assert.Empty(page.FindAll("#create-provisioning-key"));
        Assert.Empty(page.FindAll("#provisioning-keys"));
        Assert.Empty(page.FindAll("#tab-keys"));
    }

    [Fact]
    public async Task A_developer_creates_a_key_shown_once_with_the_simulate_command_and_it_is_listed()
    {
        var page = RenderPage(Developer);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-provisioning-keys")));

        page.Find("input#key-name").Input("line 3");
        page.Find("input#key-max-uses").Input("5");
        await page.Find("#create-provisioning-key").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Matches("^[A-Za-z0-9_-]{43}$", page.Find("#provisioning-key-secret").TextContent));
        var secret = page.Find("#provisioning-key-secret").TextContent;
        Assert.Equal("dotnet run --project src/FleetDashboard.Simulator -- simulate --server https://fleet.example.test " +
            $"--provisioning-key {secret} --devices 1 --device-type raspberrypi4-64", page.Find("#simulate-command").TextContent);
        Assert.Contains($"curl -sS -X POST https://fleet.example.test/api/devices/register", page.Find("#register-snippet").TextContent);
        Assert.Contains($"\"provisioningKey\":\"{secret}\"", page.Find("#register-snippet").TextContent);
        await using (var db = Store.Db())
        {
            var stored = await db.ProvisioningKeys.SingleAsync();
            Assert.Equal(("line 3", 5), (stored.Name, stored.MaxUses));
            Assert.True(Secret.Matches(secret, stored.KeyHash));
        }
        var row = page.Find("#provisioning-keys tbody tr");
        Assert.Contains("line 3", row.TextContent);
        Assert.Equal("0 / 5", row.QuerySelector(".key-uses")!.TextContent);
        Assert.Equal("never", row.QuerySelector(".key-last-use")!.TextContent);
        Assert.Contains("Active", row.QuerySelector(".key-state")!.TextContent);

        // Done, and the key is gone from the page for good: only its hash is left.
        await page.Find("#done-provisioning-key").ClickAsync(new());
        Assert.DoesNotContain(secret, page.Markup);
    }

    [Fact]
    public async Task A_developer_revokes_a_key_after_confirming_and_the_list_says_so_with_the_reason()
    {
        var (created, _) = await Store.Actions.IssueAsync(Developer, ActionRequest.On(Kiosks.Id, new CreateProvisioningKey("line 4")));
        Assert.Null(created.Refusal);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(Developer);
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".revoke-provisioning-key")));

        // The click's handler waits for the confirmation: answer it before awaiting the click.
        var revoking = page.Find(".revoke-provisioning-key").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("No device can register with it any more", dialogs.Markup));
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Revoke key")).ClickAsync(new());
        await revoking;

        page.WaitForAssertion(() => Assert.Contains("Revoked", page.Find(".key-state").TextContent));
        Assert.Contains("The provisioning key \"line 4\" was revoked on 2026-11-27 12:00 UTC.", page.Find(".key-reason").TextContent);
        Assert.Empty(page.FindAll(".revoke-provisioning-key"));
        await using var db = Store.Db();
        Assert.Contains(await db.ActionRuns.Select(r => r.ActionKey).ToListAsync(), k => k == RevokeProvisioningKey.Revoke.Key);
    }

    [Fact]
    public async Task Expired_and_used_up_keys_are_listed_with_their_reason_and_no_revoke_is_needed_for_them_to_stop()
    {
        await Store.Actions.IssueAsync(Developer, ActionRequest.On(Kiosks.Id, new CreateProvisioningKey("for a day", ExpiresAt: Store.Clock.Now.AddDays(1))));
        await Store.Actions.IssueAsync(Developer, ActionRequest.On(Kiosks.Id, new CreateProvisioningKey("one", MaxUses: 1)));
        await using (var db = Store.Db())
        {
            await db.ProvisioningKeys.Where(k => k.Name == "one").ExecuteUpdateAsync(s => s.SetProperty(k => k.Uses, 1));
        }
        Store.Clock.Now = Store.Clock.Now.AddDays(2);

        var page = RenderPage(Developer);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#provisioning-keys tbody tr").Count));
        var states = page.FindAll(".key-state").Select(s => s.TextContent).ToList();
        Assert.Contains(states, s => s.Contains("Expired") && s.Contains("expired on 2026-11-28 12:00 UTC"));
        Assert.Contains(states, s => s.Contains("Used up") && s.Contains("registers at most 1 device."));
    }
}
