using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Activities.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TaskTitleOther : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "InstructionsOther",
                table: "HumanTasks",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TitleOther",
                table: "HumanTasks",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "InstructionsOther",
                table: "HumanTasks");

            migrationBuilder.DropColumn(
                name: "TitleOther",
                table: "HumanTasks");
        }
    }
}
