namespace FleetDashboard.Core.Devices;

/// <summary>A kind of board: its slug, display name, architecture and the host OS versions offered for it.</summary>
public sealed record DeviceType(string Slug, string DisplayName, Architecture Architecture,
    IReadOnlyList<FleetVersion> OfferedHostOs)
{
    private static readonly FleetVersion[] StandardHostOs =
        new[] { "2.0.3", "2.9.0", "2.12.0", "2.12.7+rev1", "2.13.1", "2.14.0" }.Select(FleetVersion.Parse).ToArray();

    /// <summary>Every device type the fleet knows.</summary>
    public static IReadOnlyList<DeviceType> All { get; } =
    [
        new("raspberry-pi", "Raspberry Pi (v1 / Zero)", Architecture.Rpi, StandardHostOs),
        new("raspberrypi3", "Raspberry Pi 3", Architecture.Armv7hf, StandardHostOs),
        new("beaglebone-black", "BeagleBone Black", Architecture.Armv7hf, StandardHostOs),
        new("raspberrypi4-64", "Raspberry Pi 4 (64 bit)", Architecture.Aarch64, StandardHostOs),
        new("jetson-nano", "Jetson Nano", Architecture.Aarch64, StandardHostOs[2..]),
        new("generic-aarch64", "Generic AARCH64", Architecture.Aarch64, StandardHostOs),
        new("intel-nuc", "Intel NUC", Architecture.Amd64, StandardHostOs),
        new("qemux86-64", "QEMU x86-64", Architecture.Amd64, StandardHostOs),
    ];

    public static DeviceType? Find(string? slug) =>
        All.FirstOrDefault(t => string.Equals(t.Slug, slug, StringComparison.OrdinalIgnoreCase));

    /// <summary>The type of a known slug; an unknown slug is a broken invariant.</summary>
    public static DeviceType Get(string slug) =>
        Find(slug) ?? throw new FleetDomainException($"\"{slug}\" is not a known device type.");

    public bool Offers(FleetVersion hostOs) => OfferedHostOs.Contains(hostOs);
}
