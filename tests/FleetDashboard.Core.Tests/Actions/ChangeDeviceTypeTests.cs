using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3 Change device type: only to a type of the same architecture; the record only, not the OS.</summary>
public class ChangeDeviceTypeTests
{
    /// <summary>
    /// For every pair of architectures, a device of the first and another device type of the second (none for
    /// rpi → rpi: raspberry-pi is the only rpi type).
    /// </summary>
    public static TheoryData<string, string, bool> EveryArchitecturePair()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var from in Enum.GetValues<Architecture>())
        foreach (var to in Enum.GetValues<Architecture>())
        {
            var device = DeviceType.All.First(t => t.Architecture == from);
            var target = DeviceType.All.FirstOrDefault(t => t.Architecture == to && t != device);
            if (target is not null) data.Add(device.Slug, target.Slug, from == to);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryArchitecturePair))]
    public void Device_type_changes_only_within_its_architecture(string from, string to, bool changes)
    {
        var device = Device(deviceType: from);
        var context = Context(device);

        var plan = Plan(new ChangeDeviceType(to), context);
        plan.Run(context);

        Assert.Equal(changes ? null : Skip.WrongArchitecture, Assert.Single(plan.Devices).Skip);
        Assert.Equal(changes ? to : from, device.DeviceType);
    }

    [Fact]
    public void Only_the_record_changes_not_the_OS()
    {
        var device = Device(deviceType: "raspberrypi4-64", hostOs: "2.13.1");
        var context = Context(device);

        Plan(new ChangeDeviceType("generic-aarch64"), context).Run(context);

        Assert.Equal("generic-aarch64", device.DeviceType);
        Assert.Equal(Version("2.13.1"), device.HostOsVersion);
        Assert.Null(device.TargetHostOsVersion);
    }

    [Fact]
    public void Slug_is_stored_in_its_own_case()
    {
        var device = Device(deviceType: "raspberrypi4-64");
        var context = Context(device);

        Plan(new ChangeDeviceType("Jetson-Nano"), context).Run(context);

        Assert.Equal("jetson-nano", device.DeviceType);
    }

    [Fact]
    public void Same_type_is_skipped()
    {
        Assert.Equal(Skip.Refused("already raspberrypi4-64"), SkipOf(new ChangeDeviceType("raspberrypi4-64"), Device()));
    }

    [Fact]
    public void Unknown_type_is_refused_for_the_whole_group()
    {
        var plan = Plan(new ChangeDeviceType("toaster-9000"), Context(Device(), Device()));

        Assert.Equal("\"toaster-9000\" is not a known device type.", plan.Decision.Refusal);
        Assert.Equal(0, plan.RunCount);
    }
}
