using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Activities.Data.Migrations.Postgres
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
                type: "text",
                nullable: false,
                defaultValue: "Customer");

            migrationBuilder.AddColumn<string>(
                name: "ExcludedUser",
                table: "HumanTasks",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PayType",
                table: "EstimateLines",
                type: "text",
                nullable: false,
                defaultValue: "Customer");

            migrationBuilder.AddColumn<string>(
                name: "ClaimRef",
                table: "Concerns",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WarrantyNote",
                table: "Concerns",
                type: "text",
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
