namespace FleetDashboard.Core.Organizations;

public enum OrganizationPlan { Free, Paid }

/// <summary>An organization's role for one user: Administrators act as Administrator on every application.</summary>
public enum OrganizationRole { Member, Administrator }

public sealed class Organization
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public OrganizationPlan Plan { get; set; }
    public bool BillingAccountValid { get; set; }

    /// <summary>What one device costs for a month, in cents: the deactivation fee.</summary>
    public long DeviceMonthCents { get; set; } = 150;
}

public sealed class OrganizationMember
{
    public int OrganizationId { get; set; }
    public required string UserId { get; set; }
    public OrganizationRole Role { get; set; }
}

/// <summary>One charge (or waived charge) in an organization's ledger. Never changed once written.</summary>
public sealed class LedgerEntry
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public DateTimeOffset At { get; set; }
    public long AmountCents { get; set; }
    public required string Description { get; set; }
    public int? DeviceId { get; set; }
}
