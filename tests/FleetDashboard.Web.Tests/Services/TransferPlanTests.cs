using FleetDashboard.Web.Actions;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>ActionService.PlanAsync of a transfer: the core's decision for the Transfer page, and nothing recorded or changed.</summary>
public sealed class TransferPlanTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    private FleetUser _admin = null!;
    private Organization _acme = null!;
    private Organization _globex = null!;
    private Application _fleet = null!;

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        _admin = await _store.UserAsync("admin");
        _acme = await _store.OrganizationAsync("Acme", members: [(_admin, OrganizationRole.Administrator)]);
        _globex = await _store.OrganizationAsync("Globex", members: [(_admin, OrganizationRole.Administrator)]);
        _fleet = await _store.ApplicationAsync(_acme, "fleet", ApplicationType.Classic, "intel-nuc");
        await _store.DeviceAsync(_fleet, "nuc-1");
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    private async Task<Decision> PlanAsync(FleetUser user, int? targetOrganizationId = null, int? applicationId = null)
    {
        var decision = (await _store.Actions.PlanAsync(FleetStore.SignedIn(user), ActionRequest.On(applicationId ?? _fleet.Id, TransferApplication.To(targetOrganizationId ?? _globex.Id)))).Decision;
        await AssertNothingChangedAsync();
        return decision;
    }

    /// <summary>A plan is not an attempt: no action run, and the application and any placeholder stay where they were.</summary>
    private async Task AssertNothingChangedAsync()
    {
        await using var db = _store.Db();
        Assert.Equal(0, await db.ActionRuns.CountAsync());
        Assert.Equal(_acme.Id, (await db.Applications.SingleAsync(a => a.Id == _fleet.Id)).OrganizationId);
    }

    [Fact]
    public async Task An_administrator_of_both_organizations_with_an_empty_placeholder_may_transfer()
    {
        var placeholder = await _store.ApplicationAsync(_globex, "FLEET", ApplicationType.Starter, "generic-aarch64");

        var decision = await PlanAsync(_admin);

        Assert.True(decision.IsAllowed, decision.Refusal);
        await using var db = _store.Db();
        Assert.True(await db.Applications.AnyAsync(a => a.Id == placeholder.Id), "the placeholder is still there");
    }

    [Fact]
    public async Task Without_a_placeholder_the_target_needs_an_empty_application_of_that_name()
    {
        var decision = await PlanAsync(_admin);

        Assert.Equal("Globex has no application named fleet that you can see: create an empty one there first.", decision.Refusal);
    }

    [Fact]
    public async Task A_placeholder_with_devices_or_releases_is_not_empty()
    {
        var placeholder = await _store.ApplicationAsync(_globex, "fleet", ApplicationType.Classic, "intel-nuc");
        await _store.DeviceAsync(placeholder, "already-here");

        var decision = await PlanAsync(_admin);

        Assert.Equal("fleet in Globex must be empty; it has 1 device and 0 releases.", decision.Refusal);
    }

    [Fact]
    public async Task Someone_below_Developer_on_the_placeholder_who_does_not_administer_the_target_is_refused()
    {
        var mover = await _store.UserAsync("mover");
        var acme = await _store.OrganizationAsync("Acme East", members: [(mover, OrganizationRole.Administrator)]);
        var initech = await _store.OrganizationAsync("Initech", members: [(mover, OrganizationRole.Member)]);
        var fleet = await _store.ApplicationAsync(acme, "fleet", ApplicationType.Classic, "intel-nuc");
        await _store.ApplicationAsync(initech, "fleet", ApplicationType.Classic, "intel-nuc", members: [(mover, ApplicationRole.Operator)]);

        var decision = (await _store.Actions.PlanAsync(FleetStore.SignedIn(mover), ActionRequest.On(fleet.Id, TransferApplication.To(initech.Id)))).Decision;

        Assert.Equal("You need the Developer role on fleet in Initech, or to administer Initech; you have the Operator role.", decision.Refusal);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task A_paid_application_cannot_land_in_a_Free_organization()
    {
        var free = await _store.OrganizationAsync("Hooli", OrganizationPlan.Free, members: [(_admin, OrganizationRole.Administrator)]);
        var kiosks = await _store.ApplicationAsync(_acme, "kiosks", ApplicationType.Microservices);
        await _store.ApplicationAsync(free, "kiosks", ApplicationType.Starter);

        var decision = await PlanAsync(_admin, free.Id, kiosks.Id);

        Assert.Equal("kiosks is a Microservices application, a paid type: Hooli needs the Paid plan first.", decision.Refusal);
    }

    [Fact]
    public async Task A_Starter_application_may_not_take_the_target_past_its_Starter_device_limit()
    {
        var starter = await _store.ApplicationAsync(_acme, "pilot", ApplicationType.Starter, "raspberry-pi");
        for (var n = 0; n < 3; n++) await _store.DeviceAsync(starter, $"pi-{n}");
        var trial = await _store.ApplicationAsync(_globex, "trial", ApplicationType.Starter, "raspberry-pi");
        for (var n = 0; n < 8; n++) await _store.DeviceAsync(trial, $"trial-{n}");
        await _store.ApplicationAsync(_globex, "pilot", ApplicationType.Starter, "raspberry-pi");

        var decision = await PlanAsync(_admin, applicationId: starter.Id);

        Assert.Equal("Starter applications of Globex hold at most 10 devices together; this transfer would make 11.", decision.Refusal);
    }

    [Fact]
    public async Task An_application_Administrator_who_does_not_administer_its_organization_is_refused()
    {
        var lead = await _store.UserAsync("lead");
        await using (var db = _store.Db())
        {
            db.ApplicationMembers.Add(new ApplicationMember { ApplicationId = _fleet.Id, UserId = lead.Id, Role = ApplicationRole.Administrator });
            db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = _globex.Id, UserId = lead.Id, Role = OrganizationRole.Administrator });
            await db.SaveChangesAsync();
        }
        await _store.ApplicationAsync(_globex, "fleet", ApplicationType.Classic, "intel-nuc");

        var decision = await PlanAsync(lead);

        Assert.Equal("Transfer application needs an administrator of the organization that owns fleet.", decision.Refusal);
    }

    [Fact]
    public async Task An_organization_the_user_has_no_place_in_is_named_only_by_its_id()
    {
        var stranger = await _store.OrganizationAsync("Umbrella");
        await _store.ApplicationAsync(stranger, "fleet", ApplicationType.Classic, "intel-nuc");

        var decision = await PlanAsync(_admin, stranger.Id);

        Assert.Equal($"organization #{stranger.Id} has no application named fleet that you can see: create an empty one there first.", decision.Refusal);
    }

    [Fact]
    public async Task An_application_the_user_cannot_see_gets_the_same_answer_as_one_that_does_not_exist()
    {
        var outsider = await _store.UserAsync("outsider");
        await _store.ApplicationAsync(_globex, "fleet", ApplicationType.Classic, "intel-nuc");

        var hidden = await PlanAsync(outsider);
        var missing = (await _store.Actions.PlanAsync(FleetStore.SignedIn(outsider), ActionRequest.On(999, TransferApplication.To(_globex.Id)))).Decision;

        Assert.Equal($"Application #{_fleet.Id} does not exist or you cannot see it.", hidden.Refusal);
        Assert.Equal("Application #999 does not exist or you cannot see it.", missing.Refusal);
    }

    [Fact]
    public async Task Several_organizations_are_planned_at_once_each_with_its_own_answer()
    {
        var initech = await _store.OrganizationAsync("Initech", members: [(_admin, OrganizationRole.Administrator)]);
        await _store.ApplicationAsync(_globex, "fleet", ApplicationType.Classic, "intel-nuc");

        var decisions = new Dictionary<int, Decision>();
        foreach (var target in new[] { _globex.Id, initech.Id })
            decisions[target] = (await _store.Actions.PlanAsync(FleetStore.SignedIn(_admin), ActionRequest.On(_fleet.Id, TransferApplication.To(target)))).Decision;

        Assert.True(decisions[_globex.Id].IsAllowed, decisions[_globex.Id].Refusal);
        Assert.Equal("Initech has no application named fleet that you can see: create an empty one there first.", decisions[initech.Id].Refusal);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task The_transfer_itself_agrees_with_its_plan()
    {
        var decision = await PlanAsync(_admin);
        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(_admin), ActionRequest.On(_fleet.Id, TransferApplication.To(_globex.Id)));

        Assert.Equal(decision.Refusal, run.Refusal);
    }
}
