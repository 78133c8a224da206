using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Followup.Activities.Data.Migrations.Sqlite
{
    /// <summary>When the customer first opened an approval's link.</summary>
    [DbContext(typeof(SqliteDealershipDbContext))]
    [Migration("20261205114400_ApprovalOpened")]
    public partial class ApprovalOpened : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "OpenedAt",
                table: "Approvals",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OpenedAt",
                table: "Approvals");
        }
    }
}
