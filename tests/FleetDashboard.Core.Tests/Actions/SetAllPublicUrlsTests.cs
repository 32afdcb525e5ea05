using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3 Enable/disable all public URLs: the devices provisioned now; none in Essentials.</summary>
public class SetAllPublicUrlsTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_device_provisioned_now_gets_the_setting_online_or_not(bool on)
    {
        var devices = new[] { Device(), OfflineDevice(), Device().With(d => d.DeactivatedAt = Now) };
        foreach (var device in devices) device.PublicUrlEnabled = !on;
        var context = Context(devices);

        new SetAllPublicUrls(on).Run(context);

        Assert.All(devices, d => Assert.Equal(on, d.PublicUrlEnabled));
    }

    [Fact]
    public void Essentials_application_cannot_turn_them_on()
    {
        var context = Context(Application(type: ApplicationType.Essentials));

        Assert.Equal("Essentials applications have no public device URLs.", new SetAllPublicUrls(true).Check(context).Refusal);
    }

    [Fact]
    public void Essentials_application_can_turn_them_off()
    {
        Assert.True(new SetAllPublicUrls(false).Check(Context(Application(type: ApplicationType.Essentials))).IsAllowed);
    }

    [Fact]
    public void A_device_provisioned_later_starts_with_its_url_off()
    {
        var context = Context(Device());
        new SetAllPublicUrls(true).Run(context);

        Assert.False(Device().PublicUrlEnabled);
    }
}
