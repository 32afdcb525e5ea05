using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetDashboard.Web.Data.Migrations
{
    /// <summary>
    /// Provisioning keys may expire and register a limited number of devices. A key's uses so far are the devices
    /// still stored that it registered (those deleted before this count is kept cannot be counted any more).
    /// </summary>
    public partial class ProvisioningKeyLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ExpiresAt",
                table: "ProvisioningKeys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxUses",
                table: "ProvisioningKeys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Uses",
                table: "ProvisioningKeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.Sql(
                "UPDATE ProvisioningKeys SET Uses = (SELECT COUNT(*) FROM Devices WHERE Devices.ProvisioningKeyId = ProvisioningKeys.Id);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "ProvisioningKeys");

            migrationBuilder.DropColumn(
                name: "MaxUses",
                table: "ProvisioningKeys");

            migrationBuilder.DropColumn(
                name: "Uses",
                table: "ProvisioningKeys");
        }
    }
}
