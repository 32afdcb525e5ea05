using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>
/// The people actions through the one pipeline over a real store: refused attempts change nothing and stay in the
/// organization's history beside the allowed ones, which name the person by email.
/// </summary>
public sealed class PeopleActionsTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    private FleetUser _admin = null!, _member = null!, _stranger = null!;
    private Organization _acme = null!;

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        _admin = await _store.UserAsync("admin");
        _member = await _store.UserAsync("member");
        _stranger = await _store.UserAsync("stranger");
        _acme = await _store.OrganizationAsync("Acme", members: [(_admin, OrganizationRole.Administrator), (_member, OrganizationRole.Member)]);
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    private async Task<OrganizationRole?> RoleAsync(FleetUser user)
    {
        await using var db = _store.Db();
        return await db.OrganizationMembers.Where(m => m.OrganizationId == _acme.Id && m.UserId == user.Id)
            .Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task The_last_administrator_removing_themselves_is_refused_recorded_and_changes_nothing()
    {
        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(_admin), ActionRequest.In(_acme.Id, new RemoveFromOrganization(_admin.Id)));

        Assert.Equal("You are the last administrator of Acme and cannot be removed: make someone else an administrator first.", run.Refusal);
        Assert.Equal(OrganizationRole.Administrator, await RoleAsync(_admin));
        var page = await _store.Queries.HistoryPageAsync(FleetStore.SignedIn(_admin), new HistoryRequest(HistorySubject.Organization(_acme.Id), HistoryFilter.None));
        var recorded = Assert.Single(page!.Rows);
        Assert.Equal(("Remove from organization", "admin@example.test", ActionScope.Organization), (recorded.Action, recorded.Options, recorded.Scope));
    }

    [Fact]
    public async Task A_member_cannot_make_themselves_an_administrator_and_the_attempt_is_recorded()
    {
        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(_member),
            ActionRequest.In(_acme.Id, new ChangeOrganizationRole(_member.Id, OrganizationRole.Administrator)));

        Assert.Equal("Change organization role needs an administrator of Acme.", run.Refusal);
        Assert.Equal(OrganizationRole.Member, await RoleAsync(_member));
        await using var db = _store.Db();
        Assert.Equal(_acme.Id, (await db.ActionRuns.SingleAsync(r => r.Id == run.Id)).OrganizationId);
    }

    [Fact]
    public async Task Someone_outside_the_organization_learns_nothing_of_it()
    {
        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(_stranger), ActionRequest.In(_acme.Id, new InvitePerson("x@example.test", OrganizationRole.Administrator)));

        Assert.Equal($"Organization #{_acme.Id} does not exist or you are not its administrator.", run.Refusal);
        await using var db = _store.Db();
        Assert.False(await db.Invitations.AnyAsync());
    }

    [Fact]
    public async Task An_administrator_hands_over_and_steps_down()
    {
        var promoted = await _store.Actions.RunAsync(FleetStore.SignedIn(_admin),
            ActionRequest.In(_acme.Id, new ChangeOrganizationRole(_member.Id, OrganizationRole.Administrator)));
        var stepped = await _store.Actions.RunAsync(FleetStore.SignedIn(_admin), ActionRequest.In(_acme.Id, new RemoveFromOrganization(_admin.Id)));

        Assert.Equal(((string?)null, (string?)null), (promoted.Refusal, stepped.Refusal));
        Assert.Equal("member@example.test to Administrator", promoted.Options);
        Assert.Equal((OrganizationRole.Administrator, (OrganizationRole?)null), ((await RoleAsync(_member))!.Value, await RoleAsync(_admin)));
    }
}
