using System.Text.Json;
using FleetDashboard.Core.Access;
using FleetDashboard.Web.Actions;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Selection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FleetDashboard.Web.Data;

/// <summary>How the domain's classes map to tables. The domain knows nothing of this.</summary>
internal static class FleetModel
{
    public static void ConfigureFleet(this ModelBuilder builder)
    {
        builder.HasDbFunction(typeof(FleetDbFunctions).GetMethod(nameof(FleetDbFunctions.Matches))!)
            .HasName(FleetDbFunctions.MatchesName);

        builder.Entity<Organization>(o =>
        {
            o.Property(x => x.Name).HasMaxLength(Names.MaxLength);
            o.HasIndex(x => x.Name).IsUnique();
            o.Property(x => x.Plan).HasConversion<string>().HasMaxLength(20);
        });
        builder.Entity<OrganizationMember>(m =>
        {
            m.HasKey(x => new { x.OrganizationId, x.UserId });
            m.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne<FleetUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            m.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
        });
        builder.Entity<LedgerEntry>(l =>
        {
            l.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            l.HasIndex(x => new { x.OrganizationId, x.At });
        });

        builder.Entity<Application>(a =>
        {
            // Names are unique in an organization whatever their case: the policy checks that inside the write
            // transaction. The index is the backstop for exact duplicates only, so that a transfer onto a
            // placeholder named "fleet" for an application named "Fleet" is not refused by the file.
            a.Property(x => x.Name).HasMaxLength(Names.MaxLength);
            a.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
            a.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            a.Property(x => x.Type).HasConversion<string>().HasMaxLength(20);
            a.Ignore(x => x.Architecture);
        });
        builder.Entity<ApplicationMember>(m =>
        {
            m.HasKey(x => new { x.ApplicationId, x.UserId });
            m.HasOne<Application>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne<FleetUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            m.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
        });
        builder.Entity<Release>(r =>
        {
            r.HasOne<Application>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            r.HasIndex(x => new { x.ApplicationId, x.Commit }).IsUnique();
            r.Property(x => x.Commit).HasMaxLength(64);
            // Versions are unique whatever their case: the policy checks that; the index is the backstop for exact duplicates.
            r.HasIndex(x => new { x.ApplicationId, x.Version }).IsUnique();
            r.Property(x => x.Version).HasMaxLength(CreateRelease.MaxVersionLength);
            r.Property(x => x.Note).HasMaxLength(CreateRelease.MaxNoteLength);
            r.Property(x => x.Services).HasConversion(
                v => JsonSerializer.Serialize(v, JsonSerializerOptions.Default),
                v => JsonSerializer.Deserialize<Dictionary<string, string>>(v, JsonSerializerOptions.Default) ?? new(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Count,
                    v => new Dictionary<string, string>(v)));
        });

        builder.Entity<Device>(d =>
        {
            d.HasIndex(x => x.Uuid).IsUnique();
            d.HasIndex(x => x.CredentialHash).IsUnique();
            d.Property(x => x.CredentialHash).HasMaxLength(64);
            d.Property(x => x.Uuid).HasMaxLength(32);
            d.Property(x => x.Name).HasMaxLength(Names.MaxLength);
            d.Property(x => x.DeviceType).HasMaxLength(40);
            // No foreign key: a deleted application leaves its devices behind, orphaned (ApplicationId null). Nor for
            // the pinned release: releases go only with their application, and its orphans install nothing more.
            d.HasIndex(x => new { x.ApplicationId, x.Name });
            // The device list's status filter counts through this index. No heartbeat column in it (a heartbeat
            // writes LastContactAt and HeartbeatExpiresAt only), so that heartbeats do not pay for it; devices
            // without an open connection are looked up for their heartbeat's expiry while counting.
            d.HasIndex(x => new { x.ApplicationId, x.DeactivatedAt, x.FirstConnectedAt, x.ConnectedAt, x.Progress },
                "IX_Devices_ApplicationId_Status");
            d.HasIndex(x => new { x.ApplicationId, x.HostOsSortKey });
            d.Property(x => x.HostOsSortKey).HasMaxLength(40);
            d.Property(x => x.AgentSortKey).HasMaxLength(40);
            d.Property(x => x.Progress).HasConversion<string>().HasMaxLength(20);
            // Tags come with their device wherever it is read, as they did when they were owned by it.
            d.HasMany(x => x.Tags).WithOne().HasForeignKey(DeviceTagRows.DeviceId).OnDelete(DeleteBehavior.Cascade);
            d.Navigation(x => x.Tags).AutoInclude();
            d.Ignore(x => x.ShortUuid);
            d.Ignore(x => x.Architecture);
            d.Ignore(x => x.IsOrphaned);
        });

        // A table of its own (not owned by Device) so that the device list can start from it: a tag filter and a tag
        // sort read the tag rows of one application in index order (see DeviceTagRows).
        builder.Entity<DeviceTag>(t =>
        {
            t.ToTable("DeviceTags");
            t.Property<int>(DeviceTagRows.DeviceId);
            t.HasKey(DeviceTagRows.DeviceId, nameof(DeviceTag.Name));
            t.Property(x => x.Name).HasMaxLength(TagRules.MaxNameLength);
            t.Property(x => x.Value).HasMaxLength(TagRules.MaxValueLength);
            // The device's application, copied by the store's triggers whenever a tag is added or its device moves.
            var application = t.Property<int?>(DeviceTagRows.ApplicationId).Metadata;
            application.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
            application.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        });

        // SQLite's FTS5 table of the device list's text (migration DeviceSearch), read only through DeviceSearch.Containing.
        builder.Entity<DeviceSearchHit>(h =>
        {
            h.ToTable("DeviceSearch", t => t.ExcludeFromMigrations());
            h.Property(x => x.Id).HasColumnName("rowid").ValueGeneratedNever();
        });

        builder.Entity<SupportGrant>(g =>
        {
            g.HasIndex(x => x.ApplicationId);
            g.HasIndex(x => x.DeviceId);
        });

        // Keys and wall links outlive a deleted application, revoked, so no foreign key holds them to it.
        builder.Entity<ProvisioningKey>(k =>
        {
            k.HasIndex(x => x.ApplicationId);
            k.HasIndex(x => x.KeyHash).IsUnique();
            k.Ignore(x => x.IsActive);
        });
        builder.Entity<WallDisplayLink>(l =>
        {
            l.HasIndex(x => x.ApplicationId);
            l.HasIndex(x => x.TokenHash).IsUnique();
            l.Ignore(x => x.IsActive);
        });
        // Like keys, invitations outlive a deleted application (revoked or stale), so no foreign key holds them to it.
        builder.Entity<Invitation>(i =>
        {
            i.HasIndex(x => x.OrganizationId);
            i.HasIndex(x => x.ApplicationId);
            i.HasIndex(x => x.TokenHash).IsUnique();
            i.Property(x => x.TokenHash).HasMaxLength(64);
            i.Property(x => x.Email).HasMaxLength(256);
            i.Property(x => x.InvitedBy).HasMaxLength(256);
            i.Property(x => x.OrganizationRole).HasConversion<string>().HasMaxLength(20);
            i.Property(x => x.ApplicationRole).HasConversion<string>().HasMaxLength(20);
            i.Ignore(x => x.RoleText);
        });
        builder.Entity<SavedView>(v =>
        {
            v.HasOne<Application>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            v.Property(x => x.Name).HasMaxLength(Names.MaxLength);
            v.Property(x => x.Filters).HasConversion(
                filters => JsonSerializer.Serialize(filters.Select(SavedFilter.From), JsonSerializerOptions.Default),
                json => (JsonSerializer.Deserialize<List<SavedFilter>>(json, JsonSerializerOptions.Default) ?? new())
                    .Select(f => f.ToFilter()).ToList(),
                new ValueComparer<List<DeviceFilter>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Count,
                    v => v.ToList()));
        });

        builder.Entity<ActionRun>(r =>
        {
            r.Property(x => x.Scope).HasConversion<string>().HasMaxLength(20);
            r.Property(x => x.ActionKey).HasMaxLength(60);
            r.HasIndex(x => new { x.ApplicationId, x.At });
            r.HasIndex(x => new { x.DeviceId, x.At });
            r.HasMany(x => x.Outcomes).WithOne().HasForeignKey(x => x.ActionRunId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<ActionOutcome>(o =>
        {
            o.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            o.HasIndex(x => new { x.DeviceId, x.At });
            // One outcome per device of a run, whoever writes it: a late answer and the deadline's close race.
            o.HasIndex(x => new { x.ActionRunId, x.DeviceId }).IsUnique();
        });
        builder.Entity<RunTarget>(t =>
        {
            t.HasKey(x => new { x.ActionRunId, x.DeviceId });
            t.HasOne<ActionRun>().WithMany().HasForeignKey(x => x.ActionRunId).OnDelete(DeleteBehavior.Restrict);
            t.Property(x => x.DeviceUuid).HasMaxLength(32);
            t.Property(x => x.DeviceName).HasMaxLength(Names.MaxLength);
            t.Property(x => x.BootId).HasMaxLength(32);
            t.HasIndex(x => x.Deadline);
        });
    }
}

internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));

internal sealed class FleetVersionConverter() : ValueConverter<FleetVersion, string>(
    v => v.ToString(),
    v => FleetVersion.Parse(v));

/// <summary>A filter as stored in a saved view; read back through <see cref="DeviceFilter.Create"/>, which checks it again.</summary>
internal sealed record SavedFilter(DeviceColumn Column, FilterOperator Operator, string Value, string? TagName)
{
    public static SavedFilter From(DeviceFilter filter) => new(filter.Column, filter.Operator, filter.Value, filter.TagName);
    public DeviceFilter ToFilter() => DeviceFilter.Create(Column, Operator, Value, TagName);
}
