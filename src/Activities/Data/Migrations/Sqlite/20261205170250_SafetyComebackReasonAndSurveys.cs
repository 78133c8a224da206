using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Activities.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SafetyComebackReasonAndSurveys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DeclinedSafety",
                table: "Invoices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Safety",
                table: "EstimateLines",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "Comebacks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SetBy",
                table: "Comebacks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Repair",
                table: "Catalog",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "Safety",
                table: "Catalog",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "SurveySentAt",
                table: "Callbacks",
                type: "TEXT",
                nullable: true);

            // The standard menu's safety items and the work that is not a repair, in catalogs written before these flags.
            migrationBuilder.Sql("UPDATE \"Catalog\" SET \"Safety\" = TRUE WHERE \"Code\" IN ('BRAKEF', 'BRAKEFL', 'TYROT', 'ALIGN');");
            migrationBuilder.Sql("UPDATE \"Catalog\" SET \"Repair\" = FALSE WHERE \"Code\" IN ('BATT', 'WASHDEEP');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DeclinedSafety",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "Safety",
                table: "EstimateLines");

            migrationBuilder.DropColumn(
                name: "Reason",
                table: "Comebacks");

            migrationBuilder.DropColumn(
                name: "SetBy",
                table: "Comebacks");

            migrationBuilder.DropColumn(
                name: "Repair",
                table: "Catalog");

            migrationBuilder.DropColumn(
                name: "Safety",
                table: "Catalog");

            migrationBuilder.DropColumn(
                name: "SurveySentAt",
                table: "Callbacks");
        }
    }
}
