using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Workflows.Persistence.Migrations
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
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", nullable: false),
                    CorrelationId = table.Column<string>(type: "TEXT", nullable: true),
                    ActivityId = table.Column<string>(type: "TEXT", nullable: false),
                    BookmarkId = table.Column<string>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Instructions = table.Column<string>(type: "TEXT", nullable: true),
                    Language = table.Column<string>(type: "TEXT", nullable: false),
                    Form = table.Column<string>(type: "TEXT", nullable: false),
                    AssigneeRole = table.Column<string>(type: "TEXT", nullable: true),
                    AssigneeUser = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimedBy = table.Column<string>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EscalateToRole = table.Column<string>(type: "TEXT", nullable: true),
                    EscalatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", nullable: true),
                    Result = table.Column<string>(type: "TEXT", nullable: true),
                    CompletedBy = table.Column<string>(type: "TEXT", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
