using System.Security.Claims;
using System.Text;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Testing;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>
/// History belongs to the organization a run happened in: it outlives a deleted application, holds refused
/// creations, and stays with the old organization across a transfer.
/// </summary>
public sealed class OrganizationHistoryTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    private FleetUser _admin = null!, _member = null!, _globexAdmin = null!, _support = null!;
    private Organization _acme = null!, _globex = null!;
    private Application _kiosks = null!;
    private ClaimsPrincipal Admin => FleetStore.SignedIn(_admin);
    private ClaimsPrincipal GlobexAdmin => FleetStore.SignedIn(_globexAdmin);

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        _admin = await _store.UserAsync("admin");
        _member = await _store.UserAsync("member");
        _globexAdmin = await _store.UserAsync("globex-admin");
        _support = await _store.UserAsync("support", support: true);
        _acme = await _store.OrganizationAsync("Acme", members: [(_admin, OrganizationRole.Administrator), (_member, OrganizationRole.Member), (_support, OrganizationRole.Administrator)]);
        _globex = await _store.OrganizationAsync("Globex", members: [(_globexAdmin, OrganizationRole.Administrator)]);
        _kiosks = await _store.ApplicationAsync(_acme, "kiosks", members: [(_member, ApplicationRole.Administrator)]);
        await _store.DeviceAsync(_kiosks, "kiosk-1");
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    private Task<HistoryPage?> PageAsync(ClaimsPrincipal user, HistorySubject subject) =>
        _store.Queries.HistoryPageAsync(user, new HistoryRequest(subject, HistoryFilter.None));

    private async Task<ActionRun> PublicUrlsAsync(ClaimsPrincipal user, bool on)
    {
        _store.Clock.Now = _store.Clock.Now.AddMinutes(1);
        var run = await _store.Actions.RunAsync(user, ActionRequest.On(_kiosks.Id, new SetAllPublicUrls(on)));
        Assert.Null(run.Refusal);
        return run;
    }

    [Fact]
    public async Task A_deleted_applications_history_the_delete_included_stays_readable_to_the_organizations_administrators()
    {
        var before = await PublicUrlsAsync(FleetStore.SignedIn(_member), true);
        _store.Clock.Now = _store.Clock.Now.AddMinutes(1);
        var deleted = await _store.Actions.ConfirmedRunAsync(FleetStore.SignedIn(_member), ActionRequest.On(_kiosks.Id, new DeleteApplication()));
        Assert.Null(deleted.Refusal);

        var page = await PageAsync(Admin, HistorySubject.Organization(_acme.Id));

        Assert.NotNull(page);
        Assert.Equal([deleted.Id, before.Id], page.Rows.Select(r => r.Id));
        Assert.All(page.Rows, r => Assert.Equal("kiosks", r.ApplicationName));
        Assert.Equal("kiosks", (await _store.Queries.ActionRunAsync(Admin, deleted.Id))?.ApplicationName);
        Assert.NotNull(await _store.Queries.ActionRunOutcomesAsync(Admin, new OutcomeListRequest(deleted.Id)));
        var csv = new MemoryStream();
        await (await _store.Queries.HistoryCsvAsync(Admin, HistorySubject.Organization(_acme.Id), HistoryFilter.None))!(csv, default);
        Assert.Contains("Delete application", Encoding.UTF8.GetString(csv.ToArray()));
    }

    [Fact]
    public async Task Only_the_organizations_administrators_read_its_history()
    {
        await PublicUrlsAsync(FleetStore.SignedIn(_member), true);

        Assert.Null(await PageAsync(FleetStore.SignedIn(_member), HistorySubject.Organization(_acme.Id)));
        Assert.Null(await PageAsync(GlobexAdmin, HistorySubject.Organization(_acme.Id)));
        // Support staff read devices through grants, never an organization's history, whatever membership they hold.
        Assert.Null(await PageAsync(FleetStore.SignedIn(_support), HistorySubject.Organization(_acme.Id)));
        Assert.Null(await _store.Queries.HistoryCsvAsync(GlobexAdmin, HistorySubject.Organization(_acme.Id), HistoryFilter.None));
    }

    [Fact]
    public async Task A_refused_creation_is_in_the_organizations_history()
    {
        var refused = await _store.Actions.RunAsync(FleetStore.SignedIn(_member),
            ActionRequest.In(_acme.Id, new CreateApplication("new", ApplicationType.Starter, "raspberry-pi")));
        Assert.NotNull(refused.Refusal);

        var page = await PageAsync(Admin, HistorySubject.Organization(_acme.Id));

        var row = Assert.Single(page!.Rows);
        Assert.Equal((refused.Id, refused.Refusal), (row.Id, row.Refusal));
        Assert.Equal("member@example.test", (await _store.Queries.ActionRunAsync(Admin, refused.Id))?.ActorEmail);
    }

    [Fact]
    public async Task After_a_transfer_the_old_organization_keeps_the_runs_from_before_and_the_new_one_sees_only_those_after()
    {
        var before = await PublicUrlsAsync(Admin, true);
        var membersChange = await _store.Actions.RunAsync(Admin, ActionRequest.On(_kiosks.Id, new ChangeMemberRole(_member.Id, "member@example.test", ApplicationRole.Observer)));
        Assert.Null(membersChange.Refusal);
        await _store.ApplicationAsync(_globex, "kiosks", members: [(_admin, ApplicationRole.Developer)]);
        _store.Clock.Now = _store.Clock.Now.AddMinutes(1);
        var transfer = await _store.Actions.RunAsync(Admin, ActionRequest.On(_kiosks.Id, TransferApplication.To(_globex.Id)));
        Assert.Null(transfer.Refusal);
        var after = await PublicUrlsAsync(GlobexAdmin, false);

        var oldHistory = await PageAsync(Admin, HistorySubject.Organization(_acme.Id));
        var newApplicationHistory = await PageAsync(GlobexAdmin, HistorySubject.Application(_kiosks.Id));
        var newHistory = await PageAsync(GlobexAdmin, HistorySubject.Organization(_globex.Id));

        Assert.Equal([transfer.Id, membersChange.Id, before.Id], oldHistory!.Rows.Select(r => r.Id));
        Assert.Equal([after.Id], newApplicationHistory!.Rows.Select(r => r.Id));
        Assert.Equal([after.Id], newHistory!.Rows.Select(r => r.Id));
        Assert.Null(await _store.Queries.ActionRunAsync(GlobexAdmin, membersChange.Id));
        Assert.NotNull(await _store.Queries.ActionRunAsync(Admin, membersChange.Id));
        var csv = new MemoryStream();
        await (await _store.Queries.HistoryCsvAsync(GlobexAdmin, HistorySubject.Application(_kiosks.Id), HistoryFilter.None))!(csv, default);
        Assert.DoesNotContain("member@example.test", Encoding.UTF8.GetString(csv.ToArray()));
    }
}
