using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Selection;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

public sealed class ApplicationRecordTests
{
    private static readonly DeviceFilter North = DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "north", "site");

    [Fact]
    public void A_provisioning_key_is_shown_once_and_kept_only_as_its_hash()
    {
        var effects = new CreateProvisioningKey("line-3").Run(Context());

        var key = Assert.IsType<ProvisioningKey>(Assert.Single(effects.Added));
        var secret = effects.SecretToShowOnce!;
        Assert.True(secret.Length >= 22, "at least 128 random bits");
        Assert.DoesNotContain(secret, key.KeyHash);
        Assert.True(Secret.Matches(secret, key.KeyHash));
        Assert.False(Secret.Matches(secret + "x", key.KeyHash));
        Assert.Equal(Alice.Email, key.CreatedBy);
        Assert.NotEqual(secret, new CreateProvisioningKey("line-4").Run(Context()).SecretToShowOnce);
    }

    [Fact]
    public void Provisioning_key_names_are_unique_among_active_keys_and_revoking_needs_an_active_key()
    {
        var active = new ProvisioningKey { Id = 1, ApplicationId = TheApplicationId, Name = "line-3", KeyHash = "h", CreatedBy = "x" };
        var context = Context() with { ProvisioningKeys = [active] };

        Assert.Equal("Kiosks already has a provisioning key named LINE-3.", new CreateProvisioningKey("LINE-3").Check(context).Refusal);
        Assert.Equal("A provisioning key name cannot be empty.", new CreateProvisioningKey(" ").Check(context).Refusal);

        new RevokeProvisioningKey(1).Run(context);
        Assert.Equal(Now, active.RevokedAt);
        Assert.Equal("Kiosks has no active provisioning key #1.", new RevokeProvisioningKey(1).Check(context).Refusal);
        Assert.True(new CreateProvisioningKey("line-3").Check(context).IsAllowed);
    }

    [Fact]
    public void A_provisioning_key_may_expire_in_the_future_and_register_at_least_one_device()
    {
        var key = Assert.IsType<ProvisioningKey>(Assert.Single(new CreateProvisioningKey("line-5", Now.AddDays(7), 100).Run(Context()).Added));

        Assert.Equal((Now.AddDays(7), 100, 0), (key.ExpiresAt, key.MaxUses, key.Uses));
        Assert.Equal("A provisioning key must expire in the future.", new CreateProvisioningKey("line-6", ExpiresAt: Now).Check(Context()).Refusal);
        Assert.Equal("A provisioning key registers at least one device.", new CreateProvisioningKey("line-6", MaxUses: 0).Check(Context()).Refusal);
        Assert.Equal("line-5, expires 2025-06-09 12:00 UTC, at most 100 devices", new CreateProvisioningKey("line-5", Now.AddDays(7), 100).Options);
    }

    [Fact]
    public void Saved_views_need_a_filter_and_a_name_of_their_own()
    {
        var view = new SavedView { Id = 5, ApplicationId = TheApplicationId, Name = "north", Filters = [North], CreatedBy = "x" };
        var context = Context() with { SavedViews = [view] };

        Assert.Equal("A saved view holds at least one filter.", new SaveView("empty", []).Check(context).Refusal);
        Assert.Equal("Kiosks already has a view named North.", new SaveView("North", [North]).Check(context).Refusal);
        var saved = Assert.IsType<SavedView>(Assert.Single(new SaveView("south", [North]).Run(context).Added));
        Assert.Equal(["tag site is north"], saved.Filters.Select(f => f.ToString()));

        Assert.Equal("Kiosks has no view #9.", new RenameView(9, "x").Check(context).Refusal);
        new RenameView(5, "harbour").Run(context);
        Assert.Equal("harbour", view.Name);
    }

    [Fact]
    public void A_view_an_active_wall_link_shows_cannot_be_deleted_so_the_wall_is_never_widened()
    {
        // Wall links are the administrators' to make and revoke: an Operator deleting the view must neither widen the
        // anonymous screen to the whole application nor revoke a link above their role.
        var view = new SavedView { Id = 5, ApplicationId = TheApplicationId, Name = "north", Filters = [North], CreatedBy = "x" };
        var link = new WallDisplayLink { Id = 6, ApplicationId = TheApplicationId, SavedViewId = 5, TokenHash = "h", CreatedBy = "admin@acme.test" };
        var context = Context() with { SavedViews = [view], WallDisplayLinks = [link] };

        Assert.Equal("The view north is shown by wall display link #6 (made by admin@acme.test): an administrator revokes that link first.",
            new DeleteView(5).Check(context).Refusal);
        Assert.Equal(5, link.SavedViewId);
    }

    [Fact]
    public void A_view_only_revoked_wall_links_showed_can_be_deleted_and_they_stay_revoked()
    {
        var view = new SavedView { Id = 5, ApplicationId = TheApplicationId, Name = "north", Filters = [North], CreatedBy = "x" };
        var link = new WallDisplayLink { Id = 6, ApplicationId = TheApplicationId, SavedViewId = 5, TokenHash = "h", CreatedBy = "x", RevokedAt = Now };
        var context = Context() with { SavedViews = [view], WallDisplayLinks = [link] };

        var effects = new DeleteView(5).Run(context);

        Assert.Same(view, Assert.Single(effects.Removed));
        Assert.False(link.IsActive);
        Assert.Equal(5, link.SavedViewId);
    }

    [Fact]
    public void A_wall_link_is_for_a_view_of_this_application_and_is_revocable()
    {
        var context = Context();
        Assert.Equal("Kiosks has no view #5.", new CreateWallDisplayLink(5).Check(context).Refusal);

        var effects = new CreateWallDisplayLink(null).Run(context);
        var link = Assert.IsType<WallDisplayLink>(Assert.Single(effects.Added));
        Assert.True(Secret.Matches(effects.SecretToShowOnce!, link.TokenHash));

        var withLink = context with { WallDisplayLinks = [link] };
        new RevokeWallDisplayLink(link.Id).Run(withLink);
        Assert.False(link.IsActive);
    }

    [Fact]
    public void Deleting_the_application_revokes_its_keys_and_wall_links()
    {
        var key = new ProvisioningKey { Id = 1, ApplicationId = TheApplicationId, Name = "k", KeyHash = "h", CreatedBy = "x" };
        var link = new WallDisplayLink { Id = 2, ApplicationId = TheApplicationId, TokenHash = "t", CreatedBy = "x" };

        new DeleteApplication().Run(Context() with { ProvisioningKeys = [key], WallDisplayLinks = [link] });

        Assert.False(key.IsActive);
        Assert.False(link.IsActive);
    }
}
