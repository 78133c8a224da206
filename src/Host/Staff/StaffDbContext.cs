using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Staff;

/// <summary>
/// ASP.NET Core Identity's tables in the host's database (SQLite migrations; PostgreSQL has its own subclass), and the
/// data-protection key ring that signs cookies, customer links and designer tokens: in the database, so every host
/// sharing it reads and writes the same keys and a restart keeps them.
/// </summary>
public class StaffDbContext(DbContextOptions options) : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}
