using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetDashboard.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeviceSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Nothing: DeviceSearch is SQLite's FTS5 table; on PostgreSQL the device list filters by substring as before.
            // The migration only carries the model (DeviceSearchHit, excluded from migrations) in step with SQLite's.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
