using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;

namespace FleetDashboard.Core.Devices;

/// <summary>What a new device asks for when it registers with a provisioning key.</summary>
public sealed record RegistrationRequest(string DeviceType, string? Name, string HostOsVersion, string AgentVersion);

/// <summary>A registered device and its credential, which exists only here and in the device's answer.</summary>
public sealed record Registration(Device Device, string Credential);

/// <summary>How a device joins an application: with an active provisioning key of that application.</summary>
public static class Provisioning
{
    /// <summary>The answer to a key that matches none of the application's: the same for a made-up key and a foreign one.</summary>
    public const string UnknownKey = "The provisioning key is unknown.";

    /// <summary>
    /// Whether the device may register at <paramref name="now"/>: the key must be the application's and neither
    /// revoked, expired nor used up (each with its own reason, which the device logs), the device type known
    /// and able to run the application's architecture, the versions readable, and a Starter application must
    /// stay within the organization's Starter limit (<paramref name="starterDevicesInOrganization"/> counts the
    /// devices of all its Starter applications, inactive ones included).
    /// </summary>
    public static Decision Check(Organization organization, Application application, ProvisioningKey? key,
        RegistrationRequest request, int starterDevicesInOrganization, DateTimeOffset now)
    {
        if (key is null || key.ApplicationId != application.Id) return Decision.Refuse(UnknownKey);
        if (key.Refusal(now) is { } spent) return Decision.Refuse(spent);
        if (DeviceType.Find(request.DeviceType) is not { } type)
            return Decision.Refuse($"\"{request.DeviceType}\" is not a known device type.");
        if (!type.Architecture.CanRun(application.Architecture))
            return Decision.Refuse(
                $"A {type.Slug} ({type.Architecture.Slug()}) cannot join {application.Name}, an {application.Architecture.Slug()} application.");
        if (!FleetVersion.TryParse(request.HostOsVersion, out _) || !FleetVersion.TryParse(request.AgentVersion, out _))
            return Decision.Refuse($"Versions are numbers like 2.12.7: \"{request.HostOsVersion}\", \"{request.AgentVersion}\".");
        if (request.Name is not null && Names.Problem(request.Name, "device") is { } problem)
            return Decision.Refuse(problem);
        if (application.Type == ApplicationType.Starter && starterDevicesInOrganization + 1 > ApplicationTypeRules.StarterDeviceLimit)
            return Decision.Refuse(
                $"Starter applications of {organization.Name} hold at most {ApplicationTypeRules.StarterDeviceLimit} devices together.");
        return Decision.Allowed;
    }

    /// <summary>The new device, Post-provisioning until it first connects, with a fresh credential; the key counts one use.</summary>
    public static Registration Register(Application application, ProvisioningKey key, RegistrationRequest request, DateTimeOffset now)
    {
        key.Uses++;
        key.LastUsedAt = now;
        var credential = Secret.New();
        var uuid = Device.NewUuid();
        var device = new Device
        {
            Uuid = uuid,
            Name = request.Name ?? $"{application.Name}-{uuid[..7]}",
            DeviceType = DeviceType.Get(request.DeviceType).Slug,
            ApplicationId = application.Id,
            ProvisioningKeyId = key.Id,
            HostOsVersion = FleetVersion.Parse(request.HostOsVersion),
            AgentVersion = FleetVersion.Parse(request.AgentVersion),
            ProvisionedAt = now,
            CredentialHash = Secret.Hash(credential),
            // "Later devices start with the URL off" (enable/disable all public URLs).
            PublicUrlEnabled = false,
        };
        return new Registration(device, credential);
    }
}
