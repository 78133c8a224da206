using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Activities.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TitleOther",
                table: "HumanTasks",
                type: "TEXT",
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
