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

/// <summary>The fleet and its people in one SQLite file: Identity's tables and the domain's.</summary>
public class FleetDbContext(DbContextOptions<FleetDbContext> options) : IdentityDbContext<FleetUser>(options)
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<OrganizationMember> OrganizationMembers => Set<OrganizationMember>();
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<ApplicationMember> ApplicationMembers => Set<ApplicationMember>();
    public DbSet<Release> Releases => Set<Release>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<SupportGrant> SupportGrants => Set<SupportGrant>();
    public DbSet<ProvisioningKey> ProvisioningKeys => Set<ProvisioningKey>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<WallDisplayLink> WallDisplayLinks => Set<WallDisplayLink>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<ActionRun> ActionRuns => Set<ActionRun>();
    public DbSet<ActionOutcome> ActionOutcomes => Set<ActionOutcome>();
    public DbSet<RunTarget> RunTargets => Set<RunTarget>();
    public DbSet<Api.AccessTokens.PersonalAccessToken> PersonalAccessTokens => Set<Api.AccessTokens.PersonalAccessToken>();

    protected override void OnConfiguring(DbContextOptionsBuilder options) =>
        options.AddInterceptors(FleetDbFunctions.Registration.Instance)
            // A list of ids goes to SQLite as one JSON parameter, not one parameter each (EF 10's default): a
            // reboot of 10,000 devices spent 700 ms making and preparing a statement of 10,000 parameters (B4),
            // and every grouped device write one of up to 2,000 (B3).
            .UseSqlite(sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ConfigureFleet();
        builder.ApplyConfiguration(new Api.AccessTokens.PersonalAccessTokenMapping());
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite cannot compare or order DateTimeOffset text; UTC ticks compare as numbers.
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
