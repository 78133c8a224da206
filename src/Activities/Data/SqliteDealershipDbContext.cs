using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Data;

public sealed class SqliteDealershipDbContext(DbContextOptions<SqliteDealershipDbContext> options) : DealershipDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        StoreSql.MapForSqlite(modelBuilder);
    }
}
