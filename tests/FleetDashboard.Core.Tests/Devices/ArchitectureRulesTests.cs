using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Tests.Devices;

/// <summary>SPEC §3 Move: aarch64 also takes armv7hf and rpi applications; armv7hf also takes rpi; otherwise exact.</summary>
public class ArchitectureRulesTests
{
    /// <summary>(device, application) pairs that may go together; every other pair may not.</summary>
    public static readonly HashSet<(Architecture Device, Architecture Target)> Compatible =
    [
        (Architecture.Rpi, Architecture.Rpi),
        (Architecture.Armv7hf, Architecture.Armv7hf),
        (Architecture.Aarch64, Architecture.Aarch64),
        (Architecture.Amd64, Architecture.Amd64),
        (Architecture.Aarch64, Architecture.Armv7hf),
        (Architecture.Aarch64, Architecture.Rpi),
        (Architecture.Armv7hf, Architecture.Rpi),
    ];

    public static TheoryData<Architecture, Architecture, bool> EveryPair()
    {
        var data = new TheoryData<Architecture, Architecture, bool>();
        foreach (var device in Enum.GetValues<Architecture>())
        foreach (var target in Enum.GetValues<Architecture>())
            data.Add(device, target, Compatible.Contains((device, target)));
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Device_runs_only_what_its_architecture_can(Architecture device, Architecture target, bool runs)
    {
        Assert.Equal(runs, device.CanRun(target));
    }

    [Theory]
    [InlineData("raspberry-pi", Architecture.Rpi)]
    [InlineData("raspberrypi3", Architecture.Armv7hf)]
    [InlineData("beaglebone-black", Architecture.Armv7hf)]
    [InlineData("raspberrypi4-64", Architecture.Aarch64)]
    [InlineData("jetson-nano", Architecture.Aarch64)]
    [InlineData("generic-aarch64", Architecture.Aarch64)]
    [InlineData("intel-nuc", Architecture.Amd64)]
    [InlineData("qemux86-64", Architecture.Amd64)]
    public void Device_type_has_the_architecture_the_spec_gives_it(string slug, Architecture architecture)
    {
        Assert.Equal(architecture, DeviceType.Get(slug).Architecture);
    }

    [Fact]
    public void Unknown_device_type_is_a_domain_error_naming_it()
    {
        var error = Assert.Throws<FleetDomainException>(() => DeviceType.Get("toaster-9000"));

        Assert.Contains("toaster-9000", error.Message);
        Assert.Null(DeviceType.Find("toaster-9000"));
    }

    [Fact]
    public void Device_type_is_found_whatever_the_case()
    {
        Assert.Equal("raspberrypi3", DeviceType.Find("RaspberryPi3")?.Slug);
    }

    [Theory]
    [InlineData(Architecture.Rpi, "rpi")]
    [InlineData(Architecture.Armv7hf, "armv7hf")]
    [InlineData(Architecture.Aarch64, "aarch64")]
    [InlineData(Architecture.Amd64, "amd64")]
    public void Architecture_slug_is_lowercase(Architecture architecture, string slug)
    {
        Assert.Equal(slug, architecture.Slug());
    }
}
