using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Activities.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TaskEscalatedFrom : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EscalatedFrom",
                table: "HumanTasks",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EscalatedFrom",
                table: "HumanTasks");
        }
    }
}
