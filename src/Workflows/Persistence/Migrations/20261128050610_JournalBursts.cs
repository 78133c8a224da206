using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Workflows.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JournalBursts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "JournalBursts",
                columns: table => new
                {
                    // The row id alone: AUTOINCREMENT would also write sqlite_sequence on every insert.
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", nullable: false),
                    FirstSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Entries = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JournalBursts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_JournalBursts_InstanceId_FirstSequence",
                table: "JournalBursts",
                columns: new[] { "InstanceId", "FirstSequence" });

            // Every entry kept so far becomes a row of its own.
            migrationBuilder.Sql("""
                INSERT INTO "JournalBursts" ("InstanceId", "FirstSequence", "LastSequence", "Entries")
                SELECT "InstanceId", "Sequence", "Sequence", json_array(json_object(
                    'seq', "Sequence", 'at', replace("Timestamp", ' ', 'T') || 'Z', 'execution', "ActivityInstanceId",
                    'activity', "ActivityId", 'node', "ActivityNodeId", 'type', "ActivityType", 'name', "ActivityName",
                    'event', "EventName", 'message', "Message"))
                FROM "Journal" ORDER BY "Id";
                """);

            migrationBuilder.DropTable(
                name: "Journal");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "JournalBursts");

            migrationBuilder.CreateTable(
                name: "Journal",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ActivityId = table.Column<string>(type: "TEXT", nullable: true),
                    ActivityInstanceId = table.Column<string>(type: "TEXT", nullable: true),
                    ActivityName = table.Column<string>(type: "TEXT", nullable: true),
                    ActivityNodeId = table.Column<string>(type: "TEXT", nullable: true),
                    ActivityType = table.Column<string>(type: "TEXT", nullable: true),
                    EventName = table.Column<string>(type: "TEXT", nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", nullable: false),
                    Message = table.Column<string>(type: "TEXT", nullable: true),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Timestamp = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Journal", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Journal_InstanceId_Sequence",
                table: "Journal",
                columns: new[] { "InstanceId", "Sequence" });
        }
    }
}
