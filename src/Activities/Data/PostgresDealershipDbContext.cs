using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Data;

public sealed class PostgresDealershipDbContext(DbContextOptions<PostgresDealershipDbContext> options) : DealershipDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        StoreSql.MapForPostgres(modelBuilder);
    }
}
