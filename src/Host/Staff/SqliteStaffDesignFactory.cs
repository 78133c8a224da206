using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Followup.Host.Staff;

/// <summary>Used by <c>dotnet ef migrations add</c> only; they never connect.</summary>
public sealed class SqliteStaffDesignFactory : IDesignTimeDbContextFactory<SqliteStaffDbContext>
{
    public SqliteStaffDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteStaffDbContext>().UseSqlite("Data Source=design.db").Options);
}
