using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetDashboard.Web.Data.Migrations
{
    /// <summary>
    /// Releases get a version (unique in their application) and a note; a device may be pinned to a release; a
    /// provisioning key remembers when it last registered a device. Existing releases are called by their commit, and a
    /// key's last use is the newest provisioning among the devices still stored that it registered.
    /// </summary>
    public partial class ReleasesAndKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "Releases",
                type: "TEXT",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Version",
                table: "Releases",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "LastUsedAt",
                table: "ProvisioningKeys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PinnedReleaseId",
                table: "Devices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.Sql("UPDATE Releases SET Version = \"Commit\";");
            migrationBuilder.Sql(
                "UPDATE ProvisioningKeys SET LastUsedAt = (SELECT MAX(ProvisionedAt) FROM Devices WHERE Devices.ProvisioningKeyId = ProvisioningKeys.Id);");

            migrationBuilder.CreateIndex(
                name: "IX_Releases_ApplicationId_Version",
                table: "Releases",
                columns: new[] { "ApplicationId", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Releases_ApplicationId_Version",
                table: "Releases");

            migrationBuilder.DropColumn(
                name: "Note",
                table: "Releases");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Releases");

            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "ProvisioningKeys");

            migrationBuilder.DropColumn(
                name: "PinnedReleaseId",
                table: "Devices");
        }
    }
}
