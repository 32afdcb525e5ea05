namespace FleetDashboard.Core.Devices;

/// <summary>The CPU architecture a device type's OS is built for.</summary>
public enum Architecture { Rpi, Armv7hf, Aarch64, Amd64 }

public static class ArchitectureRules
{
    /// <summary>
    /// Whether a device of architecture <paramref name="device"/> may join an application (or take a device
    /// type) of architecture <paramref name="target"/>: aarch64 also takes armv7hf and rpi, armv7hf also
    /// takes rpi, otherwise the two must be the same. Older 32-bit builds run on newer ARM cores, not the
    /// other way round.
    /// </summary>
    public static bool CanRun(this Architecture device, Architecture target) => (device, target) switch
    {
        _ when device == target => true,
        (Architecture.Aarch64, Architecture.Armv7hf or Architecture.Rpi) => true,
        (Architecture.Armv7hf, Architecture.Rpi) => true,
        _ => false,
    };

    public static string Slug(this Architecture architecture) => architecture.ToString().ToLowerInvariant();
}
