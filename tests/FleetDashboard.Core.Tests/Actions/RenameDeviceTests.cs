using FleetDashboard.Core.Actions;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

public class RenameDeviceTests
{
    [Fact]
    public void Device_takes_the_new_name()
    {
        var device = Device(name: "raspberrypi");
        var context = Context(device);

        Plan(new RenameDevice("front door"), context).Run(context);

        Assert.Equal("front door", device.Name);
    }

    [Theory]
    [InlineData("", "A device name cannot be empty.")]
    [InlineData("   ", "A device name cannot be empty.")]
    [InlineData(" door", "A device name cannot start or end with spaces.")]
    [InlineData("door ", "A device name cannot start or end with spaces.")]
    [InlineData("front\tdoor", "A device name cannot hold control characters.")]
    [InlineData("front\ndoor", "A device name cannot hold control characters.")]
    public void Unusable_name_is_refused(string name, string reason)
    {
        var device = Device(name: "raspberrypi");
        var context = Context(device);

        var plan = Plan(new RenameDevice(name), context);
        plan.Run(context);

        Assert.Equal(reason, plan.Decision.Refusal);
        Assert.Equal("raspberrypi", device.Name);
    }

    [Fact]
    public void Name_of_100_characters_is_taken_and_101_refused()
    {
        Assert.True(Plan(new RenameDevice(new string('a', 100)), Context(Device())).Decision.IsAllowed);
        Assert.Equal("A device name has at most 100 characters.",
            Plan(new RenameDevice(new string('a', 101)), Context(Device())).Decision.Refusal);
    }

    [Fact]
    public void Only_one_device_at_a_time_can_be_renamed()
    {
        var plan = Plan(new RenameDevice("door"), Context(Device(), Device()));

        Assert.Equal("Only one device at a time can be renamed.", plan.Decision.Refusal);
    }
}
