using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Devices;

/// <summary>SPEC §1 Tag: a name → optional value; the name is not empty, has no spaces, is not reserved.</summary>
public class DeviceTagTests
{
    [Theory]
    [InlineData("site")]
    [InlineData("Site.Floor-2_b")]
    [InlineData("io.flee")]
    [InlineData("my.io.fleet")]
    [InlineData("iofleet")]
    public void Usable_tag_name_is_set(string name)
    {
        var device = Device();
        var context = Context(device);

        var plan = Plan(new SetDeviceTag(name, "north"), context);
        plan.Run(context);

        Assert.True(plan.Decision.IsAllowed, plan.Decision.Refusal);
        Assert.Equal("north", device.TagValue(name));
    }

    [Theory]
    [InlineData("", "A tag name cannot be empty.")]
    [InlineData("main site", "A tag name cannot hold spaces: \"main site\".")]
    [InlineData(" site", "A tag name cannot hold spaces: \" site\".")]
    [InlineData("main\tsite", "A tag name cannot hold spaces: \"main\tsite\".")]
    [InlineData("io.fleet", "Tag names starting with \"io.fleet\" are reserved.")]
    [InlineData("io.fleet.site", "Tag names starting with \"io.fleet\" are reserved.")]
    [InlineData("IO.Fleet.site", "Tag names starting with \"io.fleet\" are reserved.")]
    [InlineData("io.fleetx", "Tag names starting with \"io.fleet\" are reserved.")]
    public void Unusable_tag_name_is_refused_with_its_reason(string name, string reason)
    {
        var device = Device();
        var context = Context(device);

        var plan = Plan(new SetDeviceTag(name, "north"), context);
        plan.Run(context);

        Assert.Equal(reason, plan.Decision.Refusal);
        Assert.Empty(device.Tags);
    }

    [Fact]
    public void Tag_name_of_100_characters_is_taken_and_101_refused()
    {
        Assert.Null(TagRules.Problem(new string('t', 100), null));
        Assert.Equal("A tag name has at most 100 characters.", TagRules.Problem(new string('t', 101), null));
    }

    [Fact]
    public void Tag_value_of_1000_characters_is_taken_and_1001_refused()
    {
        Assert.Null(TagRules.Problem("site", new string('v', 1000)));
        Assert.Equal("A tag value has at most 1000 characters.", TagRules.Problem("site", new string('v', 1001)));
    }

    [Fact]
    public void Setting_a_tag_again_replaces_its_value()
    {
        var device = Device();
        var context = Context(device);

        Plan(new SetDeviceTag("site", "north"), context).Run(context);
        Plan(new SetDeviceTag("site", "south"), context).Run(context);

        var tag = Assert.Single(device.Tags);
        Assert.Equal("south", tag.Value);
    }

    [Fact]
    public void Tag_value_is_optional()
    {
        var device = Device().With(d => d.SetTag("beta", "yes"));
        var context = Context(device);

        var plan = Plan(new SetDeviceTag("beta", null), context);
        plan.Run(context);

        var tag = Assert.Single(device.Tags);
        Assert.Equal("beta", tag.Name);
        Assert.Null(tag.Value);
        Assert.Equal("beta", plan.Action.Options);
    }

    [Fact]
    public void Different_names_are_different_tags()
    {
        var device = Device().With(d => { d.SetTag("site", "north"); d.SetTag("floor", "2"); });

        Assert.Equal(["site", "floor"], device.Tags.Select(t => t.Name));
    }

    [Fact]
    public void Device_refuses_a_reserved_tag_set_directly()
    {
        var error = Assert.Throws<FleetDomainException>(() => Device().SetTag("io.fleet.managed", null));

        Assert.Contains("reserved", error.Message);
    }

    [Fact]
    public void Removing_a_tag_removes_only_that_tag()
    {
        var device = Device().With(d => { d.SetTag("site", "north"); d.SetTag("floor", "2"); });
        var context = Context(device);

        Plan(new RemoveDeviceTag("site"), context).Run(context);

        Assert.Equal("floor", Assert.Single(device.Tags).Name);
    }

    [Fact]
    public void Removing_a_tag_the_device_does_not_carry_is_skipped()
    {
        var tagged = Device().With(d => d.SetTag("site", "north"));
        var untagged = Device();

        var plan = Plan(new RemoveDeviceTag("site"), Context(tagged, untagged));

        Assert.Equal("1 will lose the tag site; 1 no tag site", plan.Summary);
        Assert.Equal(Skip.Refused("no tag site"), plan.Devices[1].Skip);
    }
}
