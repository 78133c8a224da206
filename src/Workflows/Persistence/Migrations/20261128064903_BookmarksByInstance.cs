using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Workflows.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BookmarksByInstance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Written by hand: EF Core cannot declare a WITHOUT ROWID table. Keyed by (InstanceId, Id) and stored in
            // that order, an instance's bookmarks sit together, so a burst that removes one and adds the next changes
            // one page, and no separate row id and id index are kept up to date besides.
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_Bookmarks" (
                    "InstanceId" TEXT NOT NULL,
                    "Id" TEXT NOT NULL,
                    "DefinitionId" TEXT NOT NULL,
                    "Name" TEXT NOT NULL,
                    "Hash" TEXT NOT NULL,
                    "CorrelationId" TEXT NULL,
                    "ActivityNodeId" TEXT NOT NULL,
                    "ActivityInstanceId" TEXT NOT NULL,
                    "Payload" TEXT NULL,
                    "DueAt" TEXT NULL,
                    "SchedulerJobId" TEXT NULL,
                    "CreatedAt" TEXT NOT NULL,
                    CONSTRAINT "PK_Bookmarks" PRIMARY KEY ("InstanceId", "Id")
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ef_temp_Bookmarks" ("InstanceId", "Id", "DefinitionId", "Name", "Hash", "CorrelationId",
                    "ActivityNodeId", "ActivityInstanceId", "Payload", "DueAt", "SchedulerJobId", "CreatedAt")
                SELECT "InstanceId", "Id", "DefinitionId", "Name", "Hash", "CorrelationId",
                    "ActivityNodeId", "ActivityInstanceId", "Payload", "DueAt", "SchedulerJobId", "CreatedAt"
                FROM "Bookmarks";
                """);
            migrationBuilder.DropTable(name: "Bookmarks");
            migrationBuilder.RenameTable(name: "ef_temp_Bookmarks", newName: "Bookmarks");

            migrationBuilder.CreateIndex(
                name: "IX_Bookmarks_Hash_CorrelationId",
                table: "Bookmarks",
                columns: new[] { "Hash", "CorrelationId" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookmarks_DueAt",
                table: "Bookmarks",
                column: "DueAt",
                filter: "\"DueAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_Bookmarks",
                table: "Bookmarks");

            migrationBuilder.DropIndex(
                name: "IX_Bookmarks_DueAt",
                table: "Bookmarks");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Bookmarks",
                table: "Bookmarks",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_Bookmarks_DueAt",
                table: "Bookmarks",
                column: "DueAt");

            migrationBuilder.CreateIndex(
                name: "IX_Bookmarks_InstanceId",
                table: "Bookmarks",
                column: "InstanceId");
        }
    }
}
