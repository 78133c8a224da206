using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Followup.Host.Staff;

public sealed class PostgresStaffDesignFactory : IDesignTimeDbContextFactory<PostgresStaffDbContext>
{
    public PostgresStaffDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresStaffDbContext>().UseNpgsql("Host=localhost;Database=followup_design").Options);
}
