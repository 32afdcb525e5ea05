using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetDashboard.Web.Data.Migrations
{
    /// <summary>
    /// Action runs keep the action's stable key beside the title the person saw. Runs recorded before keys get
    /// theirs from their title as titles were on that day (written out here: a later rename must not change
    /// what this migration does); a title no action had keeps itself as its key, so it still reads and filters.
    /// </summary>
    public partial class ActionKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActionKey",
                table: "ActionRuns",
                type: "TEXT",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            // History is append-only in the file itself: this one fill lifts the guard for its own statement only.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS ActionRuns_NoUpdate;");
            var cases = string.Join(" ", TitlesToKeys.Select(p => $"WHEN '{p.Title.Replace("'", "''")}' THEN '{p.Key}'"));
            migrationBuilder.Sql($"UPDATE ActionRuns SET ActionKey = CASE Action {cases} ELSE Action END;");
            migrationBuilder.Sql(
                "CREATE TRIGGER IF NOT EXISTS ActionRuns_NoUpdate BEFORE UPDATE ON ActionRuns BEGIN SELECT RAISE(ABORT, 'ActionRuns is append-only history'); END;");
        }

        private static readonly (string Title, string Key)[] TitlesToKeys =
            [
                ("Create provisioning key", "create-provisioning-key"),
                ("Revoke provisioning key", "revoke-provisioning-key"),
                ("Save view", "save-view"),
                ("Rename view", "rename-view"),
                ("Delete view", "delete-view"),
                ("Create wall display link", "create-wall-link"),
                ("Revoke wall display link", "revoke-wall-link"),
                ("Create application", "create-application"),
                ("Transfer application", "transfer-application"),
                ("Override update lock", "lock-override-on"),
                ("Respect update lock", "lock-override-off"),
                ("Enable local mode", "local-mode-on"),
                ("Disable local mode", "local-mode-off"),
                ("Move to another application", "move-device"),
                ("Update host OS", "update-host-os"),
                ("Deactivate", "deactivate"),
                ("Delete device", "delete-device"),
                ("Change device type", "change-device-type"),
                ("Rename device", "rename-device"),
                ("Set tag", "set-tag"),
                ("Remove tag", "remove-tag"),
                ("Grant support access", "grant-device-support"),
                ("Revoke support access", "revoke-device-support"),
                ("Enable public device URL", "public-url-on"),
                ("Disable public device URL", "public-url-off"),
                ("Restart application", "restart-application"),
                ("Purge data", "purge-data"),
                ("Reboot", "reboot"),
                ("Shutdown", "shutdown"),
                ("Change application type", "change-application-type"),
                ("Rename application", "rename-application"),
                ("Enable all public device URLs", "all-public-urls-on"),
                ("Disable all public device URLs", "all-public-urls-off"),
                ("Grant support access to the fleet", "grant-application-support"),
                ("Revoke support access to the fleet", "revoke-application-support"),
                ("Delete application", "delete-application"),
                ("Add member", "add-member"),
                ("Change member role", "change-member-role"),
                ("Remove member", "remove-member"),
                ("Create release", "create-release"),
                ("Set target release", "set-target-release"),
            ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ActionKey",
                table: "ActionRuns");
        }
    }
}
