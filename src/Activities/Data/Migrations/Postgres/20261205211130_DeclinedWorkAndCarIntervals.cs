using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Activities.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeclinedWorkAndCarIntervals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ServiceIntervalDays",
                table: "Vehicles",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ServiceIntervalKm",
                table: "Vehicles",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Reminders",
                type: "text",
                nullable: false,
                defaultValue: "Service"); // every reminder before this one is a next-service reminder
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ServiceIntervalDays",
                table: "Vehicles");

            migrationBuilder.DropColumn(
                name: "ServiceIntervalKm",
                table: "Vehicles");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Reminders");
        }
    }
}
