using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Devices;

public sealed class ProvisioningTests
{
    private static readonly ProvisioningKey Key = new() { Id = 3, ApplicationId = TheApplicationId, Name = "line", KeyHash = "h", CreatedBy = "x" };
    private static RegistrationRequest Asking(string deviceType = "raspberrypi4-64", string hostOs = "2.13.1", string agent = "1.4.2", string? name = null) =>
        new(deviceType, name, hostOs, agent);

    private static string? Refusal(ProvisioningKey? key, RegistrationRequest request, Application? application = null, int starterDevices = 0) =>
        Provisioning.Check(Organization(), application ?? Application(), key, request, starterDevices, Now).Refusal;

    private static ProvisioningKey KeyWith(DateTimeOffset? expiresAt = null, int? maxUses = null, int uses = 0, DateTimeOffset? revokedAt = null) =>
        new() { Id = 3, ApplicationId = TheApplicationId, Name = "line", KeyHash = "h", CreatedBy = "x",
            ExpiresAt = expiresAt, MaxUses = maxUses, Uses = uses, RevokedAt = revokedAt };

    [Fact]
    public void A_device_registers_with_an_active_key_of_its_application()
    {
        Assert.Null(Refusal(Key, Asking()));
        var registration = Provisioning.Register(Application(), Key, Asking(name: "door-1"), Now);

        var device = registration.Device;
        Assert.Equal(DeviceStatus.PostProvisioning, device.StatusAt(Now));
        Assert.True(Core.Devices.Device.IsValidUuid(device.Uuid));
        Assert.Equal(("door-1", TheApplicationId, 3, Now), (device.Name, device.ApplicationId!.Value, device.ProvisioningKeyId!.Value, device.ProvisionedAt));
        Assert.True(Secret.Matches(registration.Credential, device.CredentialHash!));
        Assert.False(device.PublicUrlEnabled);
    }

    [Fact]
    public void A_foreign_key_is_refused_as_an_unknown_one()
    {
        var foreign = new ProvisioningKey { Id = 4, ApplicationId = 99, Name = "line", KeyHash = "h", CreatedBy = "x" };

        Assert.Equal("The provisioning key is unknown.", Refusal(foreign, Asking()));
        Assert.Equal("The provisioning key is unknown.", Refusal(null, Asking()));
    }

    [Fact]
    public void A_revoked_expired_or_used_up_key_is_refused_with_its_own_reason()
    {
        Assert.Equal("The provisioning key \"line\" was revoked on 2025-06-01 12:00 UTC.", Refusal(KeyWith(revokedAt: Now.AddDays(-1)), Asking()));
        Assert.Equal("The provisioning key \"line\" expired on 2025-06-02 12:00 UTC.", Refusal(KeyWith(expiresAt: Now), Asking()));
        Assert.Equal("The provisioning key \"line\" is used up: it registers at most 2 devices.", Refusal(KeyWith(maxUses: 2, uses: 2), Asking()));
        Assert.Equal("The provisioning key \"line\" is used up: it registers at most 1 device.", Refusal(KeyWith(maxUses: 1, uses: 1), Asking()));
        // Revocation is the first reason: it is the one an operator chose.
        Assert.Contains("revoked", Refusal(KeyWith(expiresAt: Now, maxUses: 1, uses: 1, revokedAt: Now), Asking()));
    }

    [Fact]
    public void A_key_registers_until_its_expiry_and_its_last_use()
    {
        var key = KeyWith(expiresAt: Now.AddSeconds(1), maxUses: 2);

        Assert.Null(Refusal(key, Asking()));
        Provisioning.Register(Application(), key, Asking(), Now);
        Assert.Null(Refusal(key, Asking()));
        Provisioning.Register(Application(), key, Asking(), Now.AddMilliseconds(500));

        Assert.Equal(2, key.Uses);
        Assert.Equal(Now.AddMilliseconds(500), key.LastUsedAt);
        Assert.Contains("used up", Refusal(key, Asking()));
        Assert.Null(KeyWith(expiresAt: Now.AddSeconds(1)).Refusal(Now));
        Assert.Contains("expired", KeyWith(expiresAt: Now.AddSeconds(1)).Refusal(Now.AddSeconds(1)));
    }

    [Theory]
    [InlineData("raspberrypi3", "raspberrypi4-64", "A raspberrypi3 (armv7hf) cannot join Kiosks, an aarch64 application.")]
    [InlineData("raspberrypi4-64", "raspberrypi3", null)]
    [InlineData("toaster", "raspberrypi4-64", "\"toaster\" is not a known device type.")]
    public void The_device_must_run_the_applications_architecture(string deviceType, string applicationType, string? refusal)
    {
        Assert.Equal(refusal, Refusal(Key, Asking(deviceType), Application(deviceType: applicationType)));
    }

    [Fact]
    public void Unreadable_versions_and_names_are_refused()
    {
        Assert.Contains("Versions are numbers", Refusal(Key, Asking(hostOs: "latest")));
        Assert.Equal("A device name cannot be empty.", Refusal(Key, Asking(name: " ")));
    }

    [Fact]
    public void A_Starter_application_keeps_the_organizations_limit()
    {
        var starter = Application(type: ApplicationType.Starter);

        Assert.Null(Refusal(Key, Asking(), starter, starterDevices: 9));
        Assert.Contains("at most 10 devices", Refusal(Key, Asking(), starter, starterDevices: 10));
        Assert.Null(Refusal(Key, Asking(), Application(), starterDevices: 10));
    }
}
