using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetDashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeviceSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The device list's substring index (DeviceSearch in Data): FTS5 with trigrams over the text columns a
            // filter can search, its row id the device's, keeping no copy of the text. Each text ends in two U+0001, so
            // that a substring of one or two characters begins a trigram. The triggers give the index exactly what it
            // was given before when a row changes or goes, as a table without content requires. A future migration that
            // rebuilds Devices (SQLite's way of altering a column) drops them: it must make them again (DeviceSearchTests).
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "DeviceSearch" USING fts5("Name", "Uuid", "DeviceType", "ReleaseCommit", "IpAddresses", tokenize = 'trigram', content = '');
                """);
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "DeviceSearchTerms" USING fts5vocab("DeviceSearch", 'col');
                """);
            migrationBuilder.Sql("""
                INSERT INTO "DeviceSearch" (rowid, "Name", "Uuid", "DeviceType", "ReleaseCommit", "IpAddresses") SELECT "Id", coalesce("Devices"."Name", '') || char(1, 1), coalesce("Devices"."Uuid", '') || char(1, 1), coalesce("Devices"."DeviceType", '') || char(1, 1), coalesce("Devices"."ReleaseCommit", '') || char(1, 1), coalesce("Devices"."IpAddresses", '') || char(1, 1) FROM "Devices";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Devices_Search_OnInsert" AFTER INSERT ON "Devices"
                BEGIN
                    INSERT INTO "DeviceSearch" (rowid, "Name", "Uuid", "DeviceType", "ReleaseCommit", "IpAddresses") VALUES (NEW."Id", coalesce(NEW."Name", '') || char(1, 1), coalesce(NEW."Uuid", '') || char(1, 1), coalesce(NEW."DeviceType", '') || char(1, 1), coalesce(NEW."ReleaseCommit", '') || char(1, 1), coalesce(NEW."IpAddresses", '') || char(1, 1));
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Devices_Search_OnDelete" AFTER DELETE ON "Devices"
                BEGIN
                    INSERT INTO "DeviceSearch" ("DeviceSearch", rowid, "Name", "Uuid", "DeviceType", "ReleaseCommit", "IpAddresses") VALUES ('delete', OLD."Id", coalesce(OLD."Name", '') || char(1, 1), coalesce(OLD."Uuid", '') || char(1, 1), coalesce(OLD."DeviceType", '') || char(1, 1), coalesce(OLD."ReleaseCommit", '') || char(1, 1), coalesce(OLD."IpAddresses", '') || char(1, 1));
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Devices_Search_OnUpdate" AFTER UPDATE OF "Name", "Uuid", "DeviceType", "ReleaseCommit", "IpAddresses" ON "Devices"
                BEGIN
                    INSERT INTO "DeviceSearch" ("DeviceSearch", rowid, "Name", "Uuid", "DeviceType", "ReleaseCommit", "IpAddresses") VALUES ('delete', OLD."Id", coalesce(OLD."Name", '') || char(1, 1), coalesce(OLD."Uuid", '') || char(1, 1), coalesce(OLD."DeviceType", '') || char(1, 1), coalesce(OLD."ReleaseCommit", '') || char(1, 1), coalesce(OLD."IpAddresses", '') || char(1, 1));
                    INSERT INTO "DeviceSearch" (rowid, "Name", "Uuid", "DeviceType", "ReleaseCommit", "IpAddresses") VALUES (NEW."Id", coalesce(NEW."Name", '') || char(1, 1), coalesce(NEW."Uuid", '') || char(1, 1), coalesce(NEW."DeviceType", '') || char(1, 1), coalesce(NEW."ReleaseCommit", '') || char(1, 1), coalesce(NEW."IpAddresses", '') || char(1, 1));
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Devices_Search_OnUpdate";""");
            migrationBuilder.Sql("""DROP TRIGGER "Devices_Search_OnDelete";""");
            migrationBuilder.Sql("""DROP TRIGGER "Devices_Search_OnInsert";""");
            migrationBuilder.Sql("""DROP TABLE "DeviceSearchTerms";""");
            migrationBuilder.Sql("""DROP TABLE "DeviceSearch";""");
        }
    }
}
