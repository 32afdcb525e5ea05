using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Access;

/// <summary>SPEC §3 Support access: 1 hour to 30 days, revocable; a grant is in force until then unless revoked.</summary>
public class SupportAccessTests
{
    public static TheoryData<string, string?> Periods() => new()
    {
        { "01:00:00", null },
        { "00:59:59", "Support access lasts at least 1 hour." },
        { "30.00:00:00", null },
        { "30.00:00:01", "Support access lasts at most 30 days." },
        { "00:00:00", "Support access lasts at least 1 hour." },
        { "-1.00:00:00", "Support access lasts at least 1 hour." },
        { "7.00:00:00", null },
    };

    private static SupportGrant Grant(int? deviceId = null, int? applicationId = null, TimeSpan? left = null, bool revoked = false) => new()
    {
        DeviceId = deviceId,
        ApplicationId = applicationId,
        GrantedBy = Bob.UserId,
        GrantedAt = Now.AddHours(-2),
        Until = Now + (left ?? TimeSpan.FromDays(1)),
        RevokedAt = revoked ? Now.AddHours(-1) : null,
    };

    [Theory]
    [MemberData(nameof(Periods))]
    public void Device_support_access_lasts_from_1_hour_to_30_days(string period, string? problem)
    {
        var device = Device();
        var context = Context(device);
        var until = Now + TimeSpan.Parse(period);

        var plan = Plan(new GrantDeviceSupportAccess(TimeSpan.Parse(period)), context);
        var effects = plan.Run(context);

        Assert.Equal(problem, plan.Decision.Refusal);
        if (problem is null)
        {
            var grant = Assert.IsType<SupportGrant>(Assert.Single(effects.Added));
            Assert.Equal(device.Id, grant.DeviceId);
            Assert.Null(grant.ApplicationId);
            Assert.Equal(until, grant.Until);
            Assert.Equal(Now, grant.GrantedAt);
            Assert.Equal(Alice.Email, grant.GrantedBy);
        }
        else Assert.Empty(effects.Added);
    }

    [Theory]
    [MemberData(nameof(Periods))]
    public void Fleet_support_access_lasts_from_1_hour_to_30_days(string period, string? problem)
    {
        var until = Now + TimeSpan.Parse(period);
        var action = new GrantApplicationSupportAccess(TimeSpan.Parse(period));

        var decision = FleetPolicy.Decide(Member(Applications.ApplicationRole.Administrator), action, Context());

        Assert.Equal(problem, decision.Refusal);
        if (problem is null)
        {
            var grant = Assert.IsType<SupportGrant>(Assert.Single(action.Run(Context()).Added));
            Assert.Equal(TheApplicationId, grant.ApplicationId);
            Assert.Null(grant.DeviceId);
            Assert.Equal(until, grant.Until);
        }
    }

    [Fact]
    public void Grant_is_in_force_until_its_end()
    {
        var grant = Grant(left: TimeSpan.FromHours(1));

        Assert.True(grant.InForceAt(Now));
        Assert.True(grant.InForceAt(grant.Until.AddTicks(-1)));
        Assert.False(grant.InForceAt(grant.Until));
    }

    [Fact]
    public void Revoked_grant_is_not_in_force()
    {
        Assert.False(Grant(revoked: true).InForceAt(Now));
    }

    [Fact]
    public void Revoking_device_access_ends_the_grant_in_force_now()
    {
        var device = Device();
        var grant = Grant(deviceId: device.Id);
        var context = Context(device) with { SupportGrants = [grant] };

        var plan = Plan(new RevokeDeviceSupportAccess(), context);
        plan.Run(context);

        Assert.Equal(1, plan.RunCount);
        Assert.Equal(Now, grant.RevokedAt);
        Assert.False(grant.InForceAt(Now));
    }

    public static TheoryData<string> GrantsNotInForce() => ["none", "expired", "revoked", "of another device", "of the application"];

    [Theory]
    [MemberData(nameof(GrantsNotInForce))]
    public void Revoking_device_access_needs_a_grant_in_force_for_that_device(string grantOf)
    {
        var device = Device();
        SupportGrant[] grants = grantOf switch
        {
            "expired" => [Grant(deviceId: device.Id, left: TimeSpan.FromMinutes(-1))],
            "revoked" => [Grant(deviceId: device.Id, revoked: true)],
            "of another device" => [Grant(deviceId: device.Id + 1000)],
            "of the application" => [Grant(applicationId: TheApplicationId)],
            _ => [],
        };

        var plan = Plan(new RevokeDeviceSupportAccess(), Context(device) with { SupportGrants = grants });

        Assert.Equal(Skip.Refused("no support access in force"), Assert.Single(plan.Devices).Skip);
    }

    [Fact]
    public void Revoking_device_access_leaves_an_already_revoked_grant_as_it_was()
    {
        var device = Device();
        var old = Grant(deviceId: device.Id, revoked: true);
        var current = Grant(deviceId: device.Id);
        var context = Context(device) with { SupportGrants = [old, current] };

        Plan(new RevokeDeviceSupportAccess(), context).Run(context);

        Assert.Equal(Now.AddHours(-1), old.RevokedAt);
        Assert.Equal(Now, current.RevokedAt);
    }

    [Fact]
    public void Revoking_fleet_access_ends_the_grant_in_force_now()
    {
        var grant = Grant(applicationId: TheApplicationId);
        var context = Context() with { SupportGrants = [grant] };
        var action = new RevokeApplicationSupportAccess();

        Assert.True(action.Check(context).IsAllowed);
        action.Run(context);

        Assert.Equal(Now, grant.RevokedAt);
    }

    public static TheoryData<string> FleetGrantsNotInForce() => ["none", "expired", "revoked", "of a device", "of another application"];

    [Theory]
    [MemberData(nameof(FleetGrantsNotInForce))]
    public void Revoking_fleet_access_needs_a_grant_in_force_for_the_application(string grantOf)
    {
        SupportGrant[] grants = grantOf switch
        {
            "expired" => [Grant(applicationId: TheApplicationId, left: TimeSpan.Zero)],
            "revoked" => [Grant(applicationId: TheApplicationId, revoked: true)],
            "of a device" => [Grant(deviceId: 1)],
            "of another application" => [Grant(applicationId: TheApplicationId + 1)],
            _ => [],
        };

        var decision = new RevokeApplicationSupportAccess().Check(Context() with { SupportGrants = grants });

        Assert.Equal("Kiosks has no support access in force.", decision.Refusal);
    }
}
