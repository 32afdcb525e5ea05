using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3 Host OS update: online devices only, a newer version offered for the device type, the lock.</summary>
public class UpdateHostOsTests
{
    private static UpdateHostOs To(string version, bool force = false) => new(Version(version), force);

    [Fact]
    public void Online_device_is_sent_a_newer_offered_version()
    {
        var device = Device(hostOs: "2.12.7+rev1");
        var context = Context(device);

        var plan = Plan(To("2.14.0"), context);
        plan.Run(context);

        Assert.Equal(1, plan.RunCount);
        Assert.Equal(Version("2.14.0"), device.TargetHostOsVersion);
        Assert.Equal(Version("2.12.7+rev1"), device.HostOsVersion);
    }

    [Fact]
    public void Offline_device_is_not_notified()
    {
        Assert.Equal(Skip.Offline, SkipOf(To("2.14.0"), OfflineDevice()));
    }

    [Fact]
    public void Revision_is_newer_than_the_plain_version()
    {
        Assert.Null(SkipOf(To("2.12.7+rev1"), Device(hostOs: "2.12.0")));
    }

    [Theory]
    [InlineData("2.14.0", "2.14.0")]
    [InlineData("2.14.0", "2.13.1")]
    [InlineData("2.12.7+rev1", "2.12.0")]
    public void Same_or_older_version_is_refused(string current, string target)
    {
        var skip = SkipOf(To(target), Device(hostOs: current));

        Assert.Equal(Skip.Refused($"already on {current}"), skip);
    }

    [Fact]
    public void Version_not_offered_at_all_is_refused()
    {
        var skip = SkipOf(To("2.13.5"), Device(hostOs: "2.12.0"));

        Assert.Equal(Skip.Refused("2.13.5 is not offered for raspberrypi4-64"), skip);
    }

    [Theory]
    [InlineData("2.0.3", "2.9.0")]
    [InlineData("2.0.3", "2.0.3+rev1")]
    public void Jetson_nano_is_not_offered_versions_below_2_12_0(string current, string target)
    {
        var device = Device(deviceType: "jetson-nano", hostOs: current);

        Assert.Equal(Skip.Refused($"{target} is not offered for jetson-nano"), SkipOf(To(target), device));
    }

    [Fact]
    public void Jetson_nano_is_offered_2_12_0()
    {
        Assert.Null(SkipOf(To("2.12.0"), Device(deviceType: "jetson-nano", hostOs: "2.9.0")));
    }

    [Fact]
    public void Other_device_types_are_offered_2_9_0()
    {
        Assert.Null(SkipOf(To("2.9.0"), Device(deviceType: "raspberrypi4-64", hostOs: "2.0.3")));
    }

    [Fact]
    public void Jetson_nano_offers_exactly_the_versions_from_2_12_0()
    {
        Assert.Equal(["2.12.0", "2.12.7+rev1", "2.13.1", "2.14.0"],
            DeviceType.Get("jetson-nano").OfferedHostOs.Select(v => v.ToString()));
    }

    [Fact]
    public void Held_update_lock_refuses_it()
    {
        Assert.Equal(Skip.LockHeld, SkipOf(To("2.14.0"), Device().With(d => d.UpdateLockHeld = true)));
    }

    [Fact]
    public void Forcing_goes_past_a_held_update_lock()
    {
        var update = To("2.14.0", force: true);

        Assert.Null(SkipOf(update, Device().With(d => d.UpdateLockHeld = true)));
        Assert.Equal("to 2.14.0, forced past update locks", update.Options);
    }

    [Fact]
    public void Lock_override_goes_past_a_held_update_lock()
    {
        Assert.Null(SkipOf(To("2.14.0"), Device().With(d => { d.UpdateLockHeld = true; d.LockOverride = true; })));
    }

    [Fact]
    public void Deactivated_device_is_refused()
    {
        Assert.Equal(Skip.Inactive, SkipOf(To("2.14.0"), Device().With(d => d.DeactivatedAt = Now.AddDays(-1))));
    }

    [Fact]
    public void A_mixed_group_says_why_each_is_skipped()
    {
        var context = Context(
            Device(hostOs: "2.13.1"), Device(hostOs: "2.13.1"),
            OfflineDevice(),
            Device(hostOs: "2.14.0"),
            Device().With(d => d.UpdateLockHeld = true));

        var plan = Plan(To("2.14.0"), context);

        Assert.Equal("2 will update their host OS to 2.14.0; 1 offline will not be notified; 1 already on 2.14.0; 1 update lock held",
            plan.Summary);
    }
}
