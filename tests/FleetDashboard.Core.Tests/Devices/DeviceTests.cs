using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Devices;

/// <summary>SPEC §1 Device: a UUID of 32 lowercase hex digits.</summary>
public class DeviceTests
{
    [Fact]
    public void New_uuid_is_32_lowercase_hex_digits()
    {
        var uuid = Core.Devices.Device.NewUuid();

        Assert.True(Core.Devices.Device.IsValidUuid(uuid), uuid);
        Assert.NotEqual(uuid, Core.Devices.Device.NewUuid());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789ABCDEF0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789abcdef-123456789abcdef")]
    [InlineData("0123456789abcdeg0123456789abcdef")]
    public void Anything_else_is_not_a_uuid(string? uuid)
    {
        Assert.False(Core.Devices.Device.IsValidUuid(uuid));
    }

    [Fact]
    public void Short_uuid_is_its_first_seven_digits()
    {
        Assert.Equal("0123456", Device().With(d => d.Uuid = "0123456789abcdef0123456789abcdef").ShortUuid);
    }

    [Fact]
    public void Device_has_the_architecture_of_its_type()
    {
        Assert.Equal(Architecture.Armv7hf, Device(deviceType: "beaglebone-black").Architecture);
    }
}
