using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetDashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeviceTagsByApplication : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ApplicationId",
                table: "DeviceTags",
                type: "INTEGER",
                nullable: true);

            // Each tag row carries its device's application, kept by two triggers, so that the device list reads one
            // application's tags of one name as a range of this index (DeviceTagRows). lower(Value): "is" ignores
            // case, and the tag sort goes by it. A future migration that rebuilds DeviceTags or Devices (SQLite's way
            // of altering a column) drops the triggers: it must make them again (DeviceTagRowsTests would fail).
            migrationBuilder.Sql("""
                UPDATE "DeviceTags" SET "ApplicationId" = (SELECT "ApplicationId" FROM "Devices" WHERE "Id" = "DeviceTags"."DeviceId");
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_DeviceTags_Application_Name_Value" ON "DeviceTags" ("ApplicationId", "Name", lower("Value"), "DeviceId");
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "DeviceTags_Application_OnInsert" AFTER INSERT ON "DeviceTags"
                BEGIN
                    UPDATE "DeviceTags" SET "ApplicationId" = (SELECT "ApplicationId" FROM "Devices" WHERE "Id" = NEW."DeviceId")
                    WHERE "DeviceId" = NEW."DeviceId" AND "Name" = NEW."Name";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Devices_Application_OnMove" AFTER UPDATE OF "ApplicationId" ON "Devices"
                WHEN OLD."ApplicationId" IS NOT NEW."ApplicationId"
                BEGIN
                    UPDATE "DeviceTags" SET "ApplicationId" = NEW."ApplicationId" WHERE "DeviceId" = NEW."Id";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Devices_Application_OnMove";""");
            migrationBuilder.Sql("""DROP TRIGGER "DeviceTags_Application_OnInsert";""");
            migrationBuilder.Sql("""DROP INDEX "IX_DeviceTags_Application_Name_Value";""");
            migrationBuilder.DropColumn(
                name: "ApplicationId",
                table: "DeviceTags");
        }
    }
}
