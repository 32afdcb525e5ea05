using FleetDashboard.Core.Access;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Actions;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Data;

/// <summary>
/// The fleet and its people: Identity's tables and the domain's. This type is the SQLite store and owns its migrations;
/// <see cref="PostgresFleetDbContext"/> is the same model on PostgreSQL with migrations of its own.
/// </summary>
public class FleetDbContext : IdentityDbContext<FleetUser>
{
    public FleetDbContext(DbContextOptions<FleetDbContext> options) : base(options)
    {
    }

    /// <summary>For a provider's subclass, whose options name its own type.</summary>
    protected FleetDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<OrganizationMember> OrganizationMembers => Set<OrganizationMember>();
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<ApplicationMember> ApplicationMembers => Set<ApplicationMember>();
    public DbSet<Release> Releases => Set<Release>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<DeviceTag> DeviceTags => Set<DeviceTag>();
    public DbSet<SupportGrant> SupportGrants => Set<SupportGrant>();
    public DbSet<ProvisioningKey> ProvisioningKeys => Set<ProvisioningKey>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<WallDisplayLink> WallDisplayLinks => Set<WallDisplayLink>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<ActionRun> ActionRuns => Set<ActionRun>();
    public DbSet<ActionOutcome> ActionOutcomes => Set<ActionOutcome>();
    public DbSet<RunTarget> RunTargets => Set<RunTarget>();
    public DbSet<Api.AccessTokens.PersonalAccessToken> PersonalAccessTokens => Set<Api.AccessTokens.PersonalAccessToken>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ConfigureFleet();
        builder.ApplyConfiguration(new Api.AccessTokens.PersonalAccessTokenMapping());
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite cannot compare or order DateTimeOffset text; UTC ticks compare as numbers. PostgreSQL keeps the same
        // bigint ticks (rather than timestamptz), so that raw SQL and its parameters are the same on both stores.
        conventions.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        conventions.Properties<FleetVersion>().HaveConversion<FleetVersionConverter>().HaveMaxLength(40);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        AppendOnlyHistory.Guard(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        AppendOnlyHistory.Guard(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
}
