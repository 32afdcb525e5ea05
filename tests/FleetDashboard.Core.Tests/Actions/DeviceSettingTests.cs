using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3: public URL, lock override and local mode are persisted settings, not immediate actions.</summary>
public class DeviceSettingTests
{
    [Theory]
    [InlineData(ApplicationType.Starter)]
    [InlineData(ApplicationType.Microservices)]
    [InlineData(ApplicationType.Classic)]
    [InlineData(ApplicationType.Legacy)]
    public void Public_url_can_be_turned_on_outside_Essentials(ApplicationType type)
    {
        var application = Application(type: type);
        var device = Device(application, online: false);
        var context = Context(application, device);

        var plan = Plan(new SetPublicUrl(true), context);
        plan.Run(context);

        Assert.Equal(1, plan.RunCount);
        Assert.True(device.PublicUrlEnabled);
    }

    [Fact]
    public void Public_url_cannot_be_turned_on_in_Essentials()
    {
        var application = Application(type: ApplicationType.Essentials);
        var device = Device(application);
        var context = Context(application, device);

        var plan = Plan(new SetPublicUrl(true), context);
        plan.Run(context);

        Assert.Equal("Essentials applications have no public device URLs.", plan.Decision.Refusal);
        Assert.Equal(0, plan.RunCount);
        Assert.False(device.PublicUrlEnabled);
    }

    [Fact]
    public void Public_url_can_be_turned_off_in_Essentials()
    {
        var application = Application(type: ApplicationType.Essentials);
        var device = Device(application).With(d => d.PublicUrlEnabled = true);
        var context = Context(application, device);

        Plan(new SetPublicUrl(false), context).Run(context);

        Assert.False(device.PublicUrlEnabled);
    }

    [Fact]
    public void Public_url_is_a_setting_not_an_immediate_action()
    {
        Assert.False(new SetPublicUrl(true).IsImmediate);
    }

    [Fact]
    public void Public_url_is_the_uuid_under_the_devices_domain()
    {
        var device = Device().With(d => d.Uuid = "0123456789abcdef0123456789abcdef");

        Assert.Equal("https://0123456789abcdef0123456789abcdef.devices.example.com", device.PublicUrl("devices.example.com"));
    }

    [Fact]
    public void Lock_override_deletes_a_held_lock_and_is_persisted_even_while_offline()
    {
        var device = OfflineDevice().With(d => d.UpdateLockHeld = true);
        var context = Context(device);

        var plan = Plan(new SetLockOverride(true), context);
        plan.Run(context);

        Assert.Equal(1, plan.RunCount);
        Assert.True(device.LockOverride);
        Assert.False(device.UpdateLockHeld);
    }

    [Fact]
    public void Lock_override_needs_agent_1_1_0()
    {
        Assert.Equal(Skip.AgentTooOld, SkipOf(new SetLockOverride(true), Device(agent: "1.0.0")));
        Assert.Null(SkipOf(new SetLockOverride(true), Device(agent: "1.1.0")));
    }

    [Fact]
    public void Respecting_the_lock_again_turns_the_override_off()
    {
        var device = Device().With(d => d.LockOverride = true);
        var context = Context(device);

        Plan(new SetLockOverride(false), context).Run(context);

        Assert.False(device.LockOverride);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Local_mode_is_a_setting_on_any_device(bool on)
    {
        var device = OfflineDevice(name: "old-agent").With(d => { d.LocalMode = !on; d.AgentVersion = Version("0.1.0"); });
        var context = Context(device);

        var plan = Plan(new SetLocalMode(on), context);
        plan.Run(context);

        Assert.Equal(1, plan.RunCount);
        Assert.Equal(on, device.LocalMode);
    }
}
