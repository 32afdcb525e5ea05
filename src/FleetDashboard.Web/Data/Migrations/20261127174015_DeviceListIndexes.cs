using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetDashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeviceListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Devices_ApplicationId_HostOsSortKey",
                table: "Devices",
                columns: new[] { "ApplicationId", "HostOsSortKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_ApplicationId_Status",
                table: "Devices",
                columns: new[] { "ApplicationId", "DeactivatedAt", "FirstConnectedAt", "ConnectedAt", "Progress" });

            // Without ANALYZE (the app never runs it) SQLite cannot tell these indexes from (ApplicationId, Name)
            // when a query only seeks ApplicationId, and among equals it takes the one made last. Made again after
            // them, (ApplicationId, Name) keeps being that one: a list by name walks it in order, and a filter on
            // the name is tested on it before any row is read.
            RecreateNameIndex(migrationBuilder);
        }

        private static void RecreateNameIndex(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Devices_ApplicationId_Name",
                table: "Devices");

            migrationBuilder.CreateIndex(
                name: "IX_Devices_ApplicationId_Name",
                table: "Devices",
                columns: new[] { "ApplicationId", "Name" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Devices_ApplicationId_HostOsSortKey",
                table: "Devices");

            migrationBuilder.DropIndex(
                name: "IX_Devices_ApplicationId_Status",
                table: "Devices");
        }
    }
}
