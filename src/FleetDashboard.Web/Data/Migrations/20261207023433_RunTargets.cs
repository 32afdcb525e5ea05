using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetDashboard.Web.Data.Migrations
{
    /// <summary>
    /// The devices an immediate action is sent to are stored with their deadline, so that no run waits for ever after a
    /// crash; a run has one outcome per device at most, so that a late answer and the deadline's close cannot both land.
    /// </summary>
    public partial class RunTargets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ActionOutcomes_ActionRunId",
                table: "ActionOutcomes");

            migrationBuilder.CreateTable(
                name: "RunTargets",
                columns: table => new
                {
                    ActionRunId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<int>(type: "INTEGER", nullable: false),
                    DeviceUuid = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DeviceName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Deadline = table.Column<long>(type: "INTEGER", nullable: false),
                    BootId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunTargets", x => new { x.ActionRunId, x.DeviceId });
                    table.ForeignKey(
                        name: "FK_RunTargets_ActionRuns_ActionRunId",
                        column: x => x.ActionRunId,
                        principalTable: "ActionRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ActionOutcomes_ActionRunId_DeviceId",
                table: "ActionOutcomes",
                columns: new[] { "ActionRunId", "DeviceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RunTargets_Deadline",
                table: "RunTargets",
                column: "Deadline");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RunTargets");

            migrationBuilder.DropIndex(
                name: "IX_ActionOutcomes_ActionRunId_DeviceId",
                table: "ActionOutcomes");

            migrationBuilder.CreateIndex(
                name: "IX_ActionOutcomes_ActionRunId",
                table: "ActionOutcomes",
                column: "ActionRunId");
        }
    }
}
