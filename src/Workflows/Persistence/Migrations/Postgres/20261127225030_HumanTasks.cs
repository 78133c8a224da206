using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Workflows.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HumanTasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HumanTasks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    InstanceId = table.Column<string>(type: "text", nullable: false),
                    CorrelationId = table.Column<string>(type: "text", nullable: true),
                    ActivityId = table.Column<string>(type: "text", nullable: false),
                    BookmarkId = table.Column<string>(type: "text", nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Instructions = table.Column<string>(type: "text", nullable: true),
                    Language = table.Column<string>(type: "text", nullable: false),
                    Form = table.Column<string>(type: "text", nullable: false),
                    AssigneeRole = table.Column<string>(type: "text", nullable: true),
                    AssigneeUser = table.Column<string>(type: "text", nullable: true),
                    ClaimedBy = table.Column<string>(type: "text", nullable: true),
                    Status = table.Column<string>(type: "text", nullable: false),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EscalateToRole = table.Column<string>(type: "text", nullable: true),
                    EscalatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Outcome = table.Column<string>(type: "text", nullable: true),
                    Result = table.Column<string>(type: "text", nullable: true),
                    CompletedBy = table.Column<string>(type: "text", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HumanTasks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_CorrelationId",
                table: "HumanTasks",
                column: "CorrelationId");

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_InstanceId",
                table: "HumanTasks",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_Status_AssigneeRole_DueAt",
                table: "HumanTasks",
                columns: new[] { "Status", "AssigneeRole", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_Status_AssigneeUser",
                table: "HumanTasks",
                columns: new[] { "Status", "AssigneeUser" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HumanTasks");
        }
    }
}
