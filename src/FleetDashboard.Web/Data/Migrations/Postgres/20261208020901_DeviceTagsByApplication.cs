using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetDashboard.Web.Data.Migrations.Postgres
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
                type: "integer",
                nullable: true);

            // As in the SQLite migration of the same name: each tag row carries its device's application, kept by two
            // triggers, for the device list's tag filters and sorts (DeviceTagRows).
            migrationBuilder.Sql("""
                UPDATE "DeviceTags" t SET "ApplicationId" = d."ApplicationId" FROM "Devices" d WHERE d."Id" = t."DeviceId";
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_DeviceTags_Application_Name_Value" ON "DeviceTags" ("ApplicationId", "Name", lower("Value"), "DeviceId");
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION fleet_device_tag_application() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW."ApplicationId" := (SELECT "ApplicationId" FROM "Devices" WHERE "Id" = NEW."DeviceId");
                    RETURN NEW;
                END $$;
                CREATE TRIGGER device_tags_application BEFORE INSERT ON "DeviceTags"
                    FOR EACH ROW EXECUTE FUNCTION fleet_device_tag_application();
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION fleet_device_moved() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE "DeviceTags" SET "ApplicationId" = NEW."ApplicationId" WHERE "DeviceId" = NEW."Id";
                    RETURN NULL;
                END $$;
                CREATE TRIGGER devices_moved AFTER UPDATE OF "ApplicationId" ON "Devices"
                    FOR EACH ROW WHEN (OLD."ApplicationId" IS DISTINCT FROM NEW."ApplicationId") EXECUTE FUNCTION fleet_device_moved();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER devices_moved ON "Devices";
                DROP FUNCTION fleet_device_moved();
                DROP TRIGGER device_tags_application ON "DeviceTags";
                DROP FUNCTION fleet_device_tag_application();
                DROP INDEX "IX_DeviceTags_Application_Name_Value";
                """);
            migrationBuilder.DropColumn(
                name: "ApplicationId",
                table: "DeviceTags");
        }
    }
}
