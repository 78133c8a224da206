using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Activities.Data.Migrations.Sqlite
{
    /// <summary>Who pays each estimate and invoice line (lines from before are the customer's); a concern's warranty grounds and claim reference; a task someone may not do.</summary>
    public partial class LinePayersWarrantyAndSecondPerson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PayType",
                table: "InvoiceLines",
                type: "TEXT",
                nullable: false,
                defaultValue: "Customer");

            migrationBuilder.AddColumn<string>(
                name: "ExcludedUser",
                table: "HumanTasks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PayType",
                table: "EstimateLines",
                type: "TEXT",
                nullable: false,
                defaultValue: "Customer");

            migrationBuilder.AddColumn<string>(
                name: "ClaimRef",
                table: "Concerns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WarrantyNote",
                table: "Concerns",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PayType",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "ExcludedUser",
                table: "HumanTasks");

            migrationBuilder.DropColumn(
                name: "PayType",
                table: "EstimateLines");

            migrationBuilder.DropColumn(
                name: "ClaimRef",
                table: "Concerns");

            migrationBuilder.DropColumn(
                name: "WarrantyNote",
                table: "Concerns");
        }
    }
}
