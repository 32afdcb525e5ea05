using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Applications;

public enum ApplicationType { Starter, Microservices, Essentials, Classic, Legacy }

/// <summary>What each application type allows.</summary>
public static class ApplicationTypeRules
{
    /// <summary>At most this many devices across all Starter applications of an organization, inactive ones included.</summary>
    public const int StarterDeviceLimit = 10;

    private static readonly FleetVersion ClassicHostOs = new(2, 0, 3);

    public static bool IsPaid(this ApplicationType type) =>
        type is ApplicationType.Microservices or ApplicationType.Essentials;

    public static bool CanBeRenamed(this ApplicationType type) =>
        type is ApplicationType.Starter or ApplicationType.Microservices or ApplicationType.Essentials;

    public static bool AllowsPublicUrls(this ApplicationType type) => type != ApplicationType.Essentials;

    /// <summary>Legacy exists only to be changed away from: nothing is ever created as or changed to it.</summary>
    public static bool CanBeChosen(this ApplicationType type) => type != ApplicationType.Legacy;

    /// <summary>The least host OS every device needs for an application of this type.</summary>
    public static FleetVersion? HostOsMinimum(this ApplicationType type) => type switch
    {
        ApplicationType.Starter or ApplicationType.Microservices or ApplicationType.Essentials => FleetVersion.NamedVolumesFrom,
        ApplicationType.Classic => ClassicHostOs,
        _ => null,
    };
}
