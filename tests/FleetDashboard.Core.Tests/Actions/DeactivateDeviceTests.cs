using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3 Deactivate: offline, not Starter, valid billing; one device-month, waived within 72 h.</summary>
public class DeactivateDeviceTests
{
    [Fact]
    public void Offline_device_is_deactivated_and_charged_one_device_month()
    {
        var organization = Organization(deviceMonthCents: 275);
        var device = OfflineDevice(name: "till-3").With(d => d.ProvisionedAt = Now.AddDays(-10));
        var context = Context(organization, Application(), device);

        var plan = Plan(new DeactivateDevice(), context);
        var effects = plan.Run(context);

        Assert.Equal(Now, device.DeactivatedAt);
        Assert.Equal(DeviceStatus.Inactive, device.StatusAt(Now));
        var fee = Assert.IsType<LedgerEntry>(Assert.Single(effects.Added));
        Assert.Equal(275, fee.AmountCents);
        Assert.Equal(TheOrganizationId, fee.OrganizationId);
        Assert.Equal(device.Id, fee.DeviceId);
        Assert.Equal(Now, fee.At);
        Assert.Contains("till-3", fee.Description);
        Assert.Contains("one device-month", fee.Description);
    }

    [Fact]
    public void Online_device_is_refused()
    {
        var skip = SkipOf(new DeactivateDevice(), Device());

        Assert.Equal(Skip.Refused("device is online: only an offline device can be deactivated"), skip);
    }

    [Fact]
    public void Device_online_only_by_a_fresh_heartbeat_is_refused()
    {
        var device = OfflineDevice().With(d => d.LastContactAt = Now.AddMinutes(-2));

        Assert.Equal(OutcomeKind.Refused, SkipOf(new DeactivateDevice(), device)?.Kind);
    }

    [Fact]
    public void Device_that_never_connected_can_be_deactivated()
    {
        var device = OfflineDevice().With(d => { d.FirstConnectedAt = null; d.LastContactAt = null; });

        Assert.Null(SkipOf(new DeactivateDevice(), device));
    }

    [Fact]
    public void Device_already_deactivated_is_refused()
    {
        var device = OfflineDevice().With(d => d.DeactivatedAt = Now.AddDays(-3));

        Assert.Equal(Skip.Refused("already deactivated"), SkipOf(new DeactivateDevice(), device));
    }

    [Fact]
    public void Devices_of_a_Starter_application_cannot_be_deactivated()
    {
        var application = Application(type: ApplicationType.Starter);
        var device = OfflineDevice(application);
        var context = Context(Organization(plan: OrganizationPlan.Free), application, device);

        var plan = Plan(new DeactivateDevice(), context);
        var effects = plan.Run(context);

        Assert.Equal("Devices of Starter applications cannot be deactivated.", plan.Decision.Refusal);
        Assert.Null(device.DeactivatedAt);
        Assert.Empty(effects.Added);
    }

    [Fact]
    public void Organization_without_a_valid_billing_account_cannot_deactivate()
    {
        var device = OfflineDevice();
        var context = Context(Organization(billingValid: false), Application(), device);

        var plan = Plan(new DeactivateDevice(), context);
        var effects = plan.Run(context);

        Assert.Equal("Deactivation needs a valid billing account; Acme's is not.", plan.Decision.Refusal);
        Assert.Null(device.DeactivatedAt);
        Assert.Empty(effects.Added);
    }

    [Fact]
    public void Fee_is_waived_71_hours_59_minutes_after_provisioning()
    {
        var device = OfflineDevice().With(d => d.ProvisionedAt = Now - TimeSpan.FromHours(71) - TimeSpan.FromMinutes(59));
        var context = Context(device);

        var fee = Assert.IsType<LedgerEntry>(Assert.Single(Plan(new DeactivateDevice(), context).Run(context).Added));

        Assert.Equal(0, fee.AmountCents);
        Assert.Contains("waived", fee.Description);
    }

    [Fact]
    public void Fee_is_charged_72_hours_after_provisioning()
    {
        var device = OfflineDevice().With(d => d.ProvisionedAt = Now - TimeSpan.FromHours(72));
        var context = Context(Organization(deviceMonthCents: 150), Application(), device);

        var fee = Assert.IsType<LedgerEntry>(Assert.Single(Plan(new DeactivateDevice(), context).Run(context).Added));

        Assert.Equal(150, fee.AmountCents);
        Assert.DoesNotContain("waived", fee.Description);
    }

    [Fact]
    public void Each_deactivated_device_of_a_group_gets_its_own_ledger_line()
    {
        var fresh = OfflineDevice().With(d => d.ProvisionedAt = Now.AddHours(-1));
        var old = OfflineDevice().With(d => d.ProvisionedAt = Now.AddDays(-100));
        var online = Device();
        var context = Context(fresh, old, online);

        var plan = Plan(new DeactivateDevice(), context);
        var fees = plan.Run(context).Added.Cast<LedgerEntry>().ToList();

        Assert.Equal([fresh.Id, old.Id], fees.Select(f => f.DeviceId!.Value));
        Assert.Equal([0L, 150L], fees.Select(f => f.AmountCents));
        Assert.Null(online.DeactivatedAt);
    }
}
