using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetDashboard.Web.Data.Migrations
{
    /// <summary>History (action runs, outcomes, the ledger) refuses updates and deletes in the file itself.</summary>
    public partial class AppendOnlyHistory : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Data.AppendOnlyHistory.TriggersSql())
                migrationBuilder.Sql(sql);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Data.AppendOnlyHistory.Tables)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_NoUpdate;");
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_NoDelete;");
            }
        }
    }
}
