using FleetDashboard.Web.Actions;
using FleetDashboard.Core;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Services;
using Microsoft.EntityFrameworkCore;
using FleetDashboard.Testing;

namespace FleetDashboard.Web.Tests.Services;

public sealed class ActionServiceTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    public Task InitializeAsync() => _store.InitializeAsync();
    public Task DisposeAsync() => _store.DisposeAsync();

    private async Task<(Organization Org, Application App, FleetDashboard.Web.Data.FleetUser Observer, FleetDashboard.Web.Data.FleetUser Operator)> AcmeAsync()
    {
        var observer = await _store.UserAsync("observer");
        var @operator = await _store.UserAsync("operator");
        var acme = await _store.OrganizationAsync("Acme");
        var app = await _store.ApplicationAsync(acme, "kiosks", members: [(observer, ApplicationRole.Observer), (@operator, ApplicationRole.Operator)]);
        return (acme, app, observer, @operator);
    }

    [Fact]
    public async Task Refused_action_is_recorded_and_changes_nothing()
    {
        var (_, app, observer, _) = await AcmeAsync();
        var device = await _store.DeviceAsync(app, "kiosk-1");

        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(observer), new(new SetPublicUrl(true), DeviceTargets.Device(app.Id, device.Id)));

        Assert.Contains("needs the Operator role", run.Refusal);
        Assert.False((await _store.ReloadAsync(device)).PublicUrlEnabled);
        await using var db = _store.Db();
        var recorded = await db.ActionRuns.Include(r => r.Outcomes).SingleAsync();
        Assert.Equal(run.Refusal, recorded.Refusal);
        Assert.Equal(observer.Email, recorded.ActorEmail);
        var outcome = Assert.Single(recorded.Outcomes);
        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        Assert.Equal(device.Id, outcome.DeviceId);
    }

    [Fact]
    public async Task Setting_is_persisted_and_recorded_per_device()
    {
        var (_, app, _, @operator) = await AcmeAsync();
        var a = await _store.DeviceAsync(app, "kiosk-1");
        var b = await _store.DeviceAsync(app, "kiosk-2");

        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), new(new SetPublicUrl(true), DeviceTargets.Application(app.Id)));

        Assert.Null(run.Refusal);
        Assert.True((await _store.ReloadAsync(a)).PublicUrlEnabled);
        Assert.True((await _store.ReloadAsync(b)).PublicUrlEnabled);
        await using var db = _store.Db();
        var outcomes = await db.ActionOutcomes.Where(o => o.ActionRunId == run.Id).ToListAsync();
        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(OutcomeKind.Succeeded, o.Kind));
    }

    [Fact]
    public async Task Immediate_action_without_connected_devices_is_not_notified_and_skips_are_recorded()
    {
        var (_, app, _, @operator) = await AcmeAsync();
        await _store.DeviceAsync(app, "online");
        await _store.DeviceAsync(app, "old-agent", d => d.AgentVersion = new FleetVersion(1, 0, 4));
        await _store.DeviceAsync(app, "gone", d => d.LastContactAt = _store.Clock.Now.AddHours(-2));

        var user = FleetStore.SignedIn(@operator);
        var plan = await _store.Actions.PlanAsync(user, new(new RebootDevice(), DeviceTargets.Application(app.Id)));
        Assert.Equal("1 will reboot; 1 agent too old; 1 offline will not be notified", plan.Summary);

        var run = await _store.Actions.RunAsync(user, new(new RebootDevice(), DeviceTargets.Application(app.Id)));

        await using var db = _store.Db();
        var outcomes = await db.ActionOutcomes.Where(o => o.ActionRunId == run.Id).ToDictionaryAsync(o => o.DeviceName, o => o.ToString());
        Assert.Equal(3, run.DeviceCount);
        Assert.Equal("not notified: offline", outcomes["online"]);
        Assert.Equal("refused: agent too old", outcomes["old-agent"]);
        Assert.Equal("not notified: offline", outcomes["gone"]);
    }

    [Fact]
    public async Task History_cannot_be_changed_or_deleted()
    {
        var (_, app, _, @operator) = await AcmeAsync();
        await _store.DeviceAsync(app, "kiosk-1");
        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), new(new SetLocalMode(true), DeviceTargets.Application(app.Id)));

        await using (var db = _store.Db())
        {
            var stored = await db.ActionRuns.SingleAsync(r => r.Id == run.Id);
            stored.Action = "Something else";
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }
        await using (var db = _store.Db())
        {
            db.ActionOutcomes.Remove(await db.ActionOutcomes.FirstAsync());
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }
        // Not even plain SQL gets past the file's own triggers.
        await using (var db = _store.Db())
        {
            db.Ledger.Add(new LedgerEntry { OrganizationId = app.OrganizationId, At = _store.Clock.Now, AmountCents = 150, Description = "fee" });
            await db.SaveChangesAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE ActionRuns SET Action = 'x'"));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM ActionOutcomes"));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM Ledger"));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE Ledger SET AmountCents = 0"));
        }
        await using (var db = _store.Db())
        {
            Assert.Equal("Enable local mode", (await db.ActionRuns.SingleAsync()).Action);
            Assert.Equal(1, await db.ActionOutcomes.CountAsync());
            Assert.Equal(150, (await db.Ledger.SingleAsync()).AmountCents);
        }
    }

    [Fact]
    public async Task Member_of_one_organization_cannot_see_or_touch_another_organizations_application_by_id()
    {
        var (_, acmeApp, _, @operator) = await AcmeAsync();
        var globex = await _store.OrganizationAsync("Globex");
        var secret = await _store.ApplicationAsync(globex, "secret-fleet");
        var device = await _store.DeviceAsync(secret, "secret-1");
        var user = FleetStore.SignedIn(@operator);

        Assert.Null(await _store.Queries.ApplicationAsync(user, secret.Id));
        Assert.Empty(await _store.Queries.DevicesAsync(user, secret.Id));
        Assert.Empty(await _store.Queries.HistoryAsync(user, secret.Id));
        var visible = await _store.Queries.ApplicationsAsync(user);
        Assert.Equal([acmeApp.Id], visible.SelectMany(o => o.Applications).Select(a => a.Id));

        var run = await _store.Actions.RunAsync(user, new(new RebootDevice(), DeviceTargets.Device(secret.Id, device.Id)));
        var nonexistent = await _store.Actions.RunAsync(user, new(new RebootDevice(), DeviceTargets.Device(999, device.Id)));

        // The refusal says nothing of the application: not its name, not even whether it exists.
        Assert.Equal($"Application #{secret.Id} does not exist or you cannot see it.", run.Refusal);
        Assert.Equal("Application #999 does not exist or you cannot see it.", nonexistent.Refusal);
        Assert.DoesNotContain("secret", run.Refusal);
        Assert.Empty(run.Outcomes);
    }

    [Fact]
    public async Task A_device_of_another_application_refuses_the_whole_group_action()
    {
        var (org, app, _, @operator) = await AcmeAsync();
        var mine = await _store.DeviceAsync(app, "mine");
        var other = await _store.ApplicationAsync(org, "others", members: [(@operator, ApplicationRole.Operator)]);
        var theirs = await _store.DeviceAsync(other, "theirs");

        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), new(new SetLocalMode(true), DeviceTargets.Group(app.Id, [mine.Id, theirs.Id])));

        Assert.Contains("not in kiosks", run.Refusal);
        Assert.False((await _store.ReloadAsync(mine)).LocalMode);
        Assert.False((await _store.ReloadAsync(theirs)).LocalMode);
    }

    [Fact]
    public async Task Select_all_with_a_filter_acts_on_the_listed_devices_only()
    {
        var (_, app, _, @operator) = await AcmeAsync();
        var north = await _store.DeviceAsync(app, "n1", d => d.SetTag("site", "north"));
        var south = await _store.DeviceAsync(app, "s1", d => d.SetTag("site", "south"));
        var filter = DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "north", "site");

        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), new(new SetDeviceTag("checked", "yes"), DeviceTargets.AllListed(app.Id, [filter])));

        Assert.Equal(1, run.DeviceCount);
        Assert.Equal("tag site is north", run.FilterText);
        Assert.Equal("yes", (await _store.ReloadAsync(north)).TagValue("checked"));
        Assert.Null((await _store.ReloadAsync(south)).TagValue("checked"));

        var all = await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), new(new SetDeviceTag("checked", "all"), DeviceTargets.AllListed(app.Id, [])));
        Assert.Equal(2, all.DeviceCount);
    }

    [Fact]
    public async Task Move_needs_Operator_on_both_applications_and_keeps_the_device_on_refusal()
    {
        var (org, app, observer, @operator) = await AcmeAsync();
        var target = await _store.ApplicationAsync(org, "kiosks-eu", members: [(@operator, ApplicationRole.Observer)]);
        var device = await _store.DeviceAsync(app, "kiosk-1");
        var user = FleetStore.SignedIn(@operator);

        var refused = await _store.Actions.RunAsync(user, new(new MoveDevice(target.Id), DeviceTargets.Device(app.Id, device.Id)));
        Assert.Contains("Operator role on both applications", refused.Refusal);
        Assert.Equal(app.Id, (await _store.ReloadAsync(device)).ApplicationId);

        await using (var db = _store.Db())
        {
            (await db.ApplicationMembers.SingleAsync(m => m.ApplicationId == target.Id && m.UserId == @operator.Id)).Role = ApplicationRole.Operator;
            await db.SaveChangesAsync();
        }
        var moved = await _store.Actions.ConfirmedRunAsync(user, new(new MoveDevice(target.Id), DeviceTargets.Device(app.Id, device.Id)));
        Assert.Null(moved.Refusal);
        Assert.Equal(target.Id, (await _store.ReloadAsync(device)).ApplicationId);
        Assert.Single(await _store.Queries.DevicesAsync(user, target.Id));
    }

    [Fact]
    public async Task A_forged_move_target_is_never_believed()
    {
        var (_, app, _, @operator) = await AcmeAsync();
        var device = await _store.DeviceAsync(app, "kiosk-1");
        var elsewhere = await _store.OrganizationAsync("Globex");
        var hidden = await _store.ApplicationAsync(elsewhere, "vault");
        // Facts a caller hands in about the target are replaced by what the service loads for the mover.
        var forged = new MoveDevice(hidden.Id)
        {
            Target = new ApplicationContext(elsewhere, hidden, _store.Clock.Now),
            AccessOnTarget = new Core.Access.ApplicationAccess(new Core.Access.Actor(@operator.Id, ""), OrganizationRole.Administrator,
                ApplicationRole.Administrator),
        };

        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), new(forged, DeviceTargets.Device(app.Id, device.Id)));

        Assert.Equal($"Moving needs the Operator role on both applications; on application #{hidden.Id} you have no role on it.", run.Refusal);
        Assert.Equal(app.Id, (await _store.ReloadAsync(device)).ApplicationId);
    }

    [Fact]
    public async Task Deactivation_charges_one_device_month_to_the_ledger()
    {
        var (org, app, _, @operator) = await AcmeAsync();
        var device = await _store.DeviceAsync(app, "old", d => d.LastContactAt = _store.Clock.Now.AddDays(-3));

        var run = await _store.Actions.ConfirmedRunAsync(FleetStore.SignedIn(@operator), new(new DeactivateDevice(), DeviceTargets.Device(app.Id, device.Id)));

        Assert.Null(run.Refusal);
        Assert.Equal(DeviceStatus.Inactive, (await _store.ReloadAsync(device)).StatusAt(_store.Clock.Now));
        await using var db = _store.Db();
        var charge = await db.Ledger.SingleAsync();
        Assert.Equal(org.DeviceMonthCents, charge.AmountCents);
        Assert.Equal(device.Id, charge.DeviceId);
    }

    [Fact]
    public async Task Delete_application_orphans_its_devices_and_keeps_the_history()
    {
        var admin = await _store.UserAsync("admin");
        var acme = await _store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator)]);
        var app = await _store.ApplicationAsync(acme, "doomed");
        var device = await _store.DeviceAsync(app, "d1");
        var user = FleetStore.SignedIn(admin);
        await _store.Actions.RunAsync(user, new(new SetLocalMode(true), DeviceTargets.Device(app.Id, device.Id)));

        var run = await _store.Actions.ConfirmedRunAsync(user, ActionRequest.On(app.Id, new DeleteApplication()));

        Assert.Null(run.Refusal);
        var orphan = await _store.ReloadAsync(device);
        Assert.True(orphan.IsOrphaned);
        Assert.NotNull(orphan.OrphanedAt);
        await using var db = _store.Db();
        Assert.False(await db.Applications.AnyAsync(a => a.Id == app.Id));
        Assert.Equal(2, await db.ActionRuns.CountAsync(r => r.ApplicationId == app.Id));
    }

    [Fact]
    public async Task Transfer_keeps_the_application_and_drops_only_the_transferring_users_membership()
    {
        var admin = await _store.UserAsync("admin");
        var developer = await _store.UserAsync("developer");
        var acme = await _store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator)]);
        var globex = await _store.OrganizationAsync("Globex");
        var app = await _store.ApplicationAsync(acme, "fleet", members: [(admin, ApplicationRole.Administrator), (developer, ApplicationRole.Developer)]);
        var device = await _store.DeviceAsync(app, "d1", d => d.LocalMode = true);
        var user = FleetStore.SignedIn(admin);

        var missing = await _store.Actions.RunAsync(user, ActionRequest.On(app.Id, TransferApplication.To(globex.Id)));
        Assert.Contains("has no application named fleet", missing.Refusal);
        Assert.DoesNotContain("Globex", missing.Refusal);

        var placeholder = await _store.ApplicationAsync(globex, "fleet", members: [(admin, ApplicationRole.Developer)]);
        var run = await _store.Actions.RunAsync(user, ActionRequest.On(app.Id, TransferApplication.To(globex.Id)));

        Assert.Null(run.Refusal);
        await using var db = _store.Db();
        var moved = await db.Applications.SingleAsync(a => a.Id == app.Id);
        Assert.Equal(globex.Id, moved.OrganizationId);
        Assert.False(await db.Applications.AnyAsync(a => a.Id == placeholder.Id));
        Assert.Equal([developer.Id], await db.ApplicationMembers.Where(m => m.ApplicationId == app.Id).Select(m => m.UserId).ToListAsync());
        var kept = await db.Devices.SingleAsync(d => d.Id == device.Id);
        Assert.Equal(app.Id, kept.ApplicationId);
        Assert.True(kept.LocalMode);
    }

    [Fact]
    public async Task Support_staff_see_an_application_only_while_a_grant_is_in_force()
    {
        var admin = await _store.UserAsync("admin");
        var support = await _store.UserAsync("support", support: true);
        var acme = await _store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator)]);
        var app = await _store.ApplicationAsync(acme, "fleet", members: [(support, ApplicationRole.Administrator)]);
        var seen = FleetStore.SignedIn(support);

        Assert.Null(await _store.Queries.ApplicationAsync(seen, app.Id));

        var granted = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.On(app.Id, new GrantApplicationSupportAccess(TimeSpan.FromHours(2))));
        Assert.Null(granted.Refusal);
        var visible = await _store.Queries.ApplicationAsync(seen, app.Id);
        Assert.Equal(ApplicationRole.Observer, visible?.Role);

        _store.Clock.Now = _store.Clock.Now.AddHours(2);
        Assert.Null(await _store.Queries.ApplicationAsync(seen, app.Id));
    }

    [Fact]
    public async Task Adding_a_member_by_an_unknown_email_is_refused_and_recorded()
    {
        var admin = await _store.UserAsync("admin");
        var acme = await _store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator)]);
        var app = await _store.ApplicationAsync(acme, "fleet");
        var colleague = await _store.UserAsync("colleague");

        var unknown = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.On(app.Id, new AddMember("", "nobody@example.test", ApplicationRole.Operator)));
        var added = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.On(app.Id, new AddMember("", "Colleague@Example.test", ApplicationRole.Operator)));
        var again = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.On(app.Id, new AddMember("", "colleague@example.test", ApplicationRole.Operator)));

        // The same answer whether the email has no account or any other reason refuses it: no one learns which emails exist.
        Assert.Equal(AddMember.CannotAdd("nobody@example.test", "fleet"), unknown.Refusal);
        Assert.Equal(AddMember.CannotAdd("colleague@example.test", "fleet"), again.Refusal);
        Assert.Null(added.Refusal);
        await using var db = _store.Db();
        Assert.Equal(colleague.Id, (await db.ApplicationMembers.SingleAsync()).UserId);
        Assert.Equal(3, await db.ActionRuns.CountAsync());
    }

    [Fact]
    public async Task Only_organization_administrators_create_applications()
    {
        var admin = await _store.UserAsync("admin");
        var member = await _store.UserAsync("member");
        var acme = await _store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator), (member, OrganizationRole.Member)]);

        var refused = await _store.Actions.RunAsync(FleetStore.SignedIn(member), ActionRequest.In(acme.Id, new CreateApplication("new", ApplicationType.Starter, "raspberry-pi")));
        var plan = await _store.Actions.PlanAsync(FleetStore.SignedIn(admin), ActionRequest.In(acme.Id, new CreateApplication("new", ApplicationType.Starter, "raspberry-pi")));
        var created = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.In(acme.Id, new CreateApplication("new", ApplicationType.Starter, "raspberry-pi")));
        var duplicate = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.In(acme.Id, new CreateApplication("NEW", ApplicationType.Starter, "raspberry-pi")));
        var stranger = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.In(acme.Id + 1, new CreateApplication("other", ApplicationType.Starter, "raspberry-pi")));

        Assert.Contains("needs an administrator of Acme", refused.Refusal);
        Assert.Null(refused.ApplicationId);
        Assert.Equal(acme.Id, refused.OrganizationId);
        Assert.Equal("new (Starter, raspberry-pi) will be created in Acme", plan.Summary);
        Assert.Empty(plan.Devices);
        Assert.Null(created.Refusal);
        Assert.Equal(ActionScope.Organization, created.Scope);
        await using var db = _store.Db();
        var application = await db.Applications.SingleAsync(a => a.Id == created.ApplicationId);
        Assert.Equal(("new", acme.Id), (application.Name, application.OrganizationId));
        Assert.Contains("already has an application named NEW", duplicate.Refusal);
        Assert.Equal("Organization #" + (acme.Id + 1) + " does not exist or you are not its administrator.", stranger.Refusal);
        Assert.Null(stranger.OrganizationId);
        Assert.Equal(1, await db.Applications.CountAsync());
        Assert.Equal(4, await db.ActionRuns.CountAsync());
    }
}

public sealed class ApplicationRecordServiceTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    public Task InitializeAsync() => _store.InitializeAsync();
    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task A_provisioning_key_is_handed_back_once_and_stored_only_as_a_hash()
    {
        var developer = await _store.UserAsync("developer");
        var @operator = await _store.UserAsync("operator");
        var acme = await _store.OrganizationAsync("Acme");
        var app = await _store.ApplicationAsync(acme, "kiosks", members: [(developer, ApplicationRole.Developer), (@operator, ApplicationRole.Operator)]);

        var (run, key) = await _store.Actions.IssueAsync(FleetStore.SignedIn(developer), ActionRequest.On(app.Id, new CreateProvisioningKey("line-3")));
        var (refused, none) = await _store.Actions.IssueAsync(FleetStore.SignedIn(@operator), ActionRequest.On(app.Id, new CreateProvisioningKey("line-4")));

        Assert.Null(run.Refusal);
        Assert.NotNull(key);
        Assert.Contains("needs the Developer role", refused.Refusal);
        Assert.Null(none);
        await using var db = _store.Db();
        var stored = await db.ProvisioningKeys.SingleAsync();
        Assert.NotEqual(key, stored.KeyHash);
        Assert.True(Core.Access.Secret.Matches(key!, stored.KeyHash));
        Assert.DoesNotContain(key!, run.Options);
    }

    [Fact]
    public async Task A_saved_view_keeps_its_filters_in_the_file()
    {
        var @operator = await _store.UserAsync("operator");
        var acme = await _store.OrganizationAsync("Acme");
        var app = await _store.ApplicationAsync(acme, "kiosks", members: [(@operator, ApplicationRole.Operator)]);
        DeviceFilter[] filters =
        [
            DeviceFilter.Create(DeviceColumn.HostOs, FilterOperator.IsBefore, "2.12.0"),
            DeviceFilter.Create(DeviceColumn.Name, FilterOperator.MatchesRegex, "^kiosk-(north|south)"),
        ];

        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), ActionRequest.On(app.Id, new SaveView("old north", filters)));

        Assert.Null(run.Refusal);
        await using var db = _store.Db();
        var view = await db.SavedViews.SingleAsync();
        Assert.Equal(filters.Select(f => f.ToString()), view.Filters.Select(f => f.ToString()));
    }

    [Fact]
    public async Task Moving_to_an_application_the_mover_cannot_see_names_only_its_id()
    {
        var @operator = await _store.UserAsync("operator");
        var acme = await _store.OrganizationAsync("Acme");
        var app = await _store.ApplicationAsync(acme, "kiosks", members: [(@operator, ApplicationRole.Operator)]);
        var hidden = await _store.ApplicationAsync(await _store.OrganizationAsync("Globex"), "secret-fleet");
        var device = await _store.DeviceAsync(app, "kiosk-1");

        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), new(new MoveDevice(hidden.Id), DeviceTargets.Device(app.Id, device.Id)));

        Assert.NotNull(run.Refusal);
        Assert.DoesNotContain("secret", run.Refusal + run.Options);
        Assert.Contains($"application #{hidden.Id}", run.Refusal);
        Assert.Equal(app.Id, (await _store.ReloadAsync(device)).ApplicationId);
    }
}

public sealed class TransferServiceTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    public Task InitializeAsync() => _store.InitializeAsync();
    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task Transfer_onto_a_placeholder_whose_name_differs_only_in_case_works()
    {
        var admin = await _store.UserAsync("admin");
        var colleague = await _store.UserAsync("colleague");
        var acme = await _store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator)]);
        var globex = await _store.OrganizationAsync("Globex");
        var app = await _store.ApplicationAsync(acme, "Fleet");
        var placeholder = await _store.ApplicationAsync(globex, "fleet", members: [(admin, ApplicationRole.Developer), (colleague, ApplicationRole.Observer)]);

        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.On(app.Id, TransferApplication.To(globex.Id)));

        Assert.Null(run.Refusal);
        await using var db = _store.Db();
        Assert.Equal(globex.Id, (await db.Applications.SingleAsync(a => a.Id == app.Id)).OrganizationId);
        Assert.False(await db.Applications.AnyAsync(a => a.Id == placeholder.Id));
        Assert.False(await db.ApplicationMembers.AnyAsync(m => m.ApplicationId == placeholder.Id));
    }

    [Fact]
    public async Task Transfer_to_an_organization_the_user_has_no_place_in_tells_nothing_about_it()
    {
        var admin = await _store.UserAsync("admin");
        var acme = await _store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator)]);
        var secret = await _store.OrganizationAsync("Secret Corp");
        var app = await _store.ApplicationAsync(acme, "fleet");
        await _store.ApplicationAsync(secret, "fleet");

        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.On(app.Id, TransferApplication.To(secret.Id)));
        var nowhere = await _store.Actions.RunAsync(FleetStore.SignedIn(admin), ActionRequest.On(app.Id, TransferApplication.To(999)));

        Assert.DoesNotContain("Secret", run.Refusal + run.Options);
        Assert.Equal(run.Refusal!.Replace($"#{secret.Id}", "#999"), nowhere.Refusal);
        await using var db = _store.Db();
        Assert.Equal(acme.Id, (await db.Applications.SingleAsync(a => a.Id == app.Id)).OrganizationId);
    }

    [Fact]
    public async Task Transfer_revokes_what_the_old_organization_handed_out()
    {
        var admin = await _store.UserAsync("admin");
        var acme = await _store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator)]);
        var globex = await _store.OrganizationAsync("Globex", members: [(admin, OrganizationRole.Administrator)]);
        var app = await _store.ApplicationAsync(acme, "fleet");
        await _store.ApplicationAsync(globex, "fleet");
        var user = FleetStore.SignedIn(admin);
        await _store.Actions.IssueAsync(user, ActionRequest.On(app.Id, new CreateProvisioningKey("line-1")));
        await _store.Actions.IssueAsync(user, ActionRequest.On(app.Id, new CreateWallDisplayLink(null)));
        await _store.Actions.RunAsync(user, ActionRequest.On(app.Id, new GrantApplicationSupportAccess(TimeSpan.FromDays(2))));

        var run = await _store.Actions.RunAsync(user, ActionRequest.On(app.Id, TransferApplication.To(globex.Id)));

        Assert.Null(run.Refusal);
        await using var db = _store.Db();
        Assert.All(await db.ProvisioningKeys.ToListAsync(), k => Assert.NotNull(k.RevokedAt));
        Assert.All(await db.WallDisplayLinks.ToListAsync(), l => Assert.NotNull(l.RevokedAt));
        Assert.All(await db.SupportGrants.ToListAsync(), g => Assert.NotNull(g.RevokedAt));
    }

    [Fact]
    public async Task A_refused_attempt_on_an_application_that_does_not_exist_is_not_filed_under_its_id()
    {
        var admin = await _store.UserAsync("admin");
        var acme = await _store.OrganizationAsync("Acme", members: [(admin, OrganizationRole.Administrator)]);
        var user = FleetStore.SignedIn(admin);

        var probe = await _store.Actions.RunAsync(user, ActionRequest.On(1, new RenameApplication("x")));
        var created = await _store.Actions.RunAsync(user, ActionRequest.In(acme.Id, new CreateApplication("fleet", ApplicationType.Starter, "raspberry-pi")));

        Assert.Equal(1, created.ApplicationId);
        Assert.NotNull(probe.Refusal);
        Assert.Null(probe.ApplicationId);
        Assert.DoesNotContain(await _store.Queries.HistoryAsync(user, 1), r => r.Id == probe.Id);
    }
}

public sealed class SupportAccessServiceTests : IAsyncLifetime
{
    private readonly FleetStore _store = new();
    public Task InitializeAsync() => _store.InitializeAsync();
    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task Support_staff_see_a_device_only_while_its_own_grant_is_in_force()
    {
        var @operator = await _store.UserAsync("operator");
        var support = await _store.UserAsync("support", support: true);
        var acme = await _store.OrganizationAsync("Acme");
        var app = await _store.ApplicationAsync(acme, "fleet", members: [(@operator, ApplicationRole.Operator)]);
        var opened = await _store.DeviceAsync(app, "opened");
        var other = await _store.DeviceAsync(app, "other");
        var seen = FleetStore.SignedIn(support);

        Assert.Null(await _store.Queries.DeviceAsync(seen, opened.Id));
        var granted = await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), new(new GrantDeviceSupportAccess(TimeSpan.FromHours(1)), DeviceTargets.Device(app.Id, opened.Id)));
        Assert.Null(granted.Refusal);

        Assert.Equal("opened", (await _store.Queries.DeviceAsync(seen, opened.Id))?.Name);
        Assert.Null(await _store.Queries.DeviceAsync(seen, other.Id));
        Assert.Null(await _store.Queries.ApplicationAsync(seen, app.Id));
        Assert.Equal(["opened"], (await _store.Queries.DevicesOpenedToSupportAsync(seen)).Select(d => d.Name));

        await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), new(new RevokeDeviceSupportAccess(), DeviceTargets.Device(app.Id, opened.Id)));
        Assert.Null(await _store.Queries.DeviceAsync(seen, opened.Id));
        Assert.Empty(await _store.Queries.DevicesOpenedToSupportAsync(seen));
    }

    [Fact]
    public async Task A_one_hour_grant_is_one_hour_from_the_confirmation()
    {
        var @operator = await _store.UserAsync("operator");
        var acme = await _store.OrganizationAsync("Acme");
        var app = await _store.ApplicationAsync(acme, "fleet", members: [(@operator, ApplicationRole.Operator)]);
        var device = await _store.DeviceAsync(app, "d");

        var run = await _store.Actions.RunAsync(FleetStore.SignedIn(@operator), new(new GrantDeviceSupportAccess(TimeSpan.FromHours(1)), DeviceTargets.Device(app.Id, device.Id)));

        Assert.Null(run.Refusal);
        Assert.Equal("for 1 hour", run.Options);
        await using var db = _store.Db();
        Assert.Equal(_store.Clock.Now.AddHours(1), (await db.SupportGrants.SingleAsync()).Until);
    }
}

