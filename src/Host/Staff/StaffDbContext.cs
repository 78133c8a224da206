using Followup.Workflows.Persistence;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Followup.Host.Staff;

/// <summary>A member of staff who signs in: a manager, an advisor, a technician or a callback agent.</summary>
public sealed class StaffUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>zh-CN or en: the language of the staff pages for this person.</summary>
    public string Language { get; set; } = "zh-CN";
}

/// <summary>
/// ASP.NET Core Identity's tables in the host's database (SQLite migrations; PostgreSQL has its own subclass), and the
/// data-protection key ring that signs cookies, customer links and designer tokens: in the database, so every host
/// sharing it reads and writes the same keys and a restart keeps them.
/// </summary>
public class StaffDbContext(DbContextOptions options) : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}

public sealed class SqliteStaffDbContext(DbContextOptions<SqliteStaffDbContext> options) : StaffDbContext(options);

public sealed class PostgresStaffDbContext(DbContextOptions<PostgresStaffDbContext> options) : StaffDbContext(options);

/// <summary>Used by <c>dotnet ef migrations add</c> only; they never connect.</summary>
public sealed class SqliteStaffDesignFactory : IDesignTimeDbContextFactory<SqliteStaffDbContext>
{
    public SqliteStaffDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteStaffDbContext>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresStaffDesignFactory : IDesignTimeDbContextFactory<PostgresStaffDbContext>
{
    public PostgresStaffDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresStaffDbContext>().UseNpgsql("Host=localhost;Database=followup_design").Options);
}
