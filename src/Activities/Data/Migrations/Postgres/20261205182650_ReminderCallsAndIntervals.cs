using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Activities.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReminderCallsAndIntervals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "CallBackOn",
                table: "Reminders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CallNotes",
                table: "Reminders",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CallResult",
                table: "Reminders",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "IntervalDays",
                table: "Catalog",
                type: "integer",
                nullable: true);

            // The standard menu's intervals in days, in catalogs written before them (a manager's own items keep none until set).
            foreach (var (code, days) in new[] { ("OIL", 180), ("AIRF", 365), ("CABINF", 365), ("SPARK", 730), ("BRAKEFL", 730), ("TYROT", 180) })
                migrationBuilder.Sql($"UPDATE \"Catalog\" SET \"IntervalDays\" = {days} WHERE \"Code\" = '{code}' AND \"IntervalDays\" IS NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CallBackOn",
                table: "Reminders");

            migrationBuilder.DropColumn(
                name: "CallNotes",
                table: "Reminders");

            migrationBuilder.DropColumn(
                name: "CallResult",
                table: "Reminders");

            migrationBuilder.DropColumn(
                name: "IntervalDays",
                table: "Catalog");
        }
    }
}
